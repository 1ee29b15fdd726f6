package dev.cortado.cpu.gemm;

import dev.cortado.backend.GemmSpec;
import dev.cortado.cpu.Parallel;

/**
 * GEMM around a {@link MicroKernel}: checks the arguments, walks the batch and picks for each product how to
 * compute it ({@link PackedProduct} or, for {@code A * B^T} with few rows, {@link DotProduct}) and how to share
 * it between the threads of {@link Parallel}. Small products run on the calling thread; products with a small C
 * and a long k (weight gradients) split k between threads and add the slices up; the rest split C into blocks.
 */
final class BlockedGemm {
    /**
     * Below this many flops (about 10 us on one core) a product runs on the calling thread: handing a range to
     * the workers costs about a microsecond, and splitting a smaller product packs too much twice.
     */
    private static final double PARALLEL_FLOPS = 1 << 20;
    /** Batch items below this many flops run one per thread rather than each on every thread. */
    private static final double BATCH_ITEM_FLOPS = 1 << 24;
    /** {@code A * B^T} goes to {@link DotProduct} up to this many rows of A, and is packed beyond. */
    private static final int DOT_MAX_ROWS = 256;
    /** ... and from this k on (see {@link #usesDots}). */
    private static final int DOT_MIN_DEPTH = 512;
    /**
     * ... or from k at least {@link MicroKernel#dotDepthPerRow} times the rows of A, but never below this k: a dot
     * product of one or two vectors costs more to sum than to compute. Both methods alternated in one process with
     * 16 lanes (AMD Zen 4), dots against packed: 0.2-0.5 times the time at 1 to 8 rows (single-sample inference),
     * 0.57-0.84 at 16 to 64 rows and k 128 to 400 (LeNet-5's first dense layer, 64 x 120 x 400, 0.77), and
     * 1.0-1.4 below k = 6m (100 x 200 x 350, 32 x 256 x 128, 8 x 1024 x 32) or k = 16 to 24.
     */
    private static final int DOT_SHORTEST_DEPTH = 32;
    /** Fewest steps of k per slice when k is split between threads. */
    private static final int MIN_SLICE = 512;
    /**
     * From this many flops, packed products share their packed operands between threads (see below): the two
     * hand-offs this takes cost about a microsecond each, less than packing A once per part.
     */
    private static final double SHARED_PACKING_FLOPS = 1 << 23;
    /**
     * A packed product cut into parts along a side packs the other operand once per part. Beyond one part per
     * thread, one part per this many rows (or columns) of that side keeps the repacking under about a tenth of
     * the arithmetic, a packed float costing about as much time as 30 flops.
     */
    private static final int REPACK_SIDE = 150;

    private final MicroKernel kernel;
    private final Blocking blocking;

    BlockedGemm(MicroKernel kernel, Blocking blocking) {
        this.kernel = kernel;
        this.blocking = blocking;
    }

    MicroKernel kernel() {
        return kernel;
    }

    Blocking blocking() {
        return blocking;
    }

    /** {@link Sgemm#compute}, on this kernel. */
    void compute(GemmSpec s, float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset) {
        checkExtent("A", a, aOffset, s.extentA(), s);
        checkExtent("B", b, bOffset, s.extentB(), s);
        checkExtent("C", c, cOffset, s.extentC(), s);
        if (s.m() == 0 || s.n() == 0) {
            return; // C is empty
        }
        double itemFlops = 2.0 * s.m() * s.n() * s.k();
        int threads = Parallel.threads();
        if (threads > 1 && s.batch() >= threads && itemFlops < BATCH_ITEM_FLOPS && s.flops() >= PARALLEL_FLOPS) {
            Parallel.forRange(s.batch(), 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    item(s, i, a, aOffset, b, bOffset, c, cOffset, false);
                }
            });
        } else {
            boolean parallel = threads > 1 && itemFlops >= PARALLEL_FLOPS;
            for (int i = 0; i < s.batch(); i++) {
                item(s, i, a, aOffset, b, bOffset, c, cOffset, parallel);
            }
        }
    }

    private static void checkExtent(String name, float[] array, int offset, long extent, GemmSpec s) {
        if (offset < 0 || offset + extent > array.length) {
            throw new IllegalArgumentException("GEMM " + name + " spans floats [" + offset + ", "
                    + (offset + extent) + ") but its array holds " + array.length + ": " + s);
        }
    }

    private void item(GemmSpec s, int index, float[] a, int aOffset, float[] b, int bOffset, float[] c,
                      int cOffset, boolean parallel) {
        int co = cOffset + (int) (index * s.strideC());
        if (s.k() == 0 || s.alpha() == 0f) {
            scale(c, co, s.m() * s.n(), s.beta());
            return;
        }
        Operands ops = Operands.packed(s.transA(), s.transB(), s.m(), s.n(), s.k(),
                a, aOffset + (int) (index * s.strideA()), b, bOffset + (int) (index * s.strideB()));
        Target out = new Target(c, co, s.n(), s.alpha(), s.beta());
        if (!parallel) {
            serial(ops).run(0, ops.k(), out.c, out.offset, out.ldc, out.alpha, out.beta);
            return;
        }
        int slices = kSlices(ops);
        if (slices > 1) {
            splitK(ops, slices, out);
        } else if (usesDots(ops)) {
            boolean byRows = ceilDiv(ops.m(), kernel.dotRows()) > ceilDiv(ops.n(), kernel.dotCols());
            int unit = byRows ? kernel.dotRows() : kernel.dotCols();
            int units = ceilDiv(byRows ? ops.m() : ops.n(), unit);
            split(ops, byRows, Math.min(units, 4 * Parallel.threads()), unit, out);
        } else {
            packedInParallel(ops, out);
        }
    }

    /** Where a product's result goes and how it is scaled: {@code C = alpha * product + beta * C}. */
    private record Target(float[] c, int offset, int ldc, float alpha, float beta) {
    }

    /**
     * Whether {@code A * B^T} goes to {@link DotProduct}: with few rows of A, and k long enough to repay the one
     * horizontal sum each dot product ends with (or C too narrow for a packed tile).
     */
    private boolean usesDots(Operands ops) {
        if (!ops.transB() || ops.transA() || ops.m() > DOT_MAX_ROWS) {
            return false;
        }
        boolean longEnough = ops.k() >= DOT_MIN_DEPTH
                || ops.k() >= Math.max(DOT_SHORTEST_DEPTH, kernel.dotDepthPerRow() * ops.m());
        return longEnough || ops.n() < kernel.nr();
    }

    private Product serial(Operands ops) {
        return usesDots(ops) ? new DotProduct(kernel, blocking, ops) : new PackedProduct(kernel, blocking, ops);
    }

    /**
     * A packed product on every thread. Big products that pack B pack it once, with all threads, and share it;
     * the rest are cut along their longer side into products of their own, each packing the other operand again.
     */
    private void packedInParallel(Operands ops, Target out) {
        PackedProduct whole = new PackedProduct(kernel, blocking, ops);
        boolean byRows = ops.m() >= ops.n();
        int side = byRows ? ops.m() : ops.n();
        int unit = byRows ? kernel.mr() : kernel.nr();
        int threads = Parallel.threads();
        int parts = Math.min(Math.min(ceilDiv(side, unit), 4 * threads),
                Math.max(threads, 1 + side / REPACK_SIDE));
        double flops = 2.0 * ops.m() * ops.n() * ops.k();
        if (!whole.readsBInPlace() && (flops >= SHARED_PACKING_FLOPS || parts < threads)) {
            whole.runShared(0, ops.k(), out.c, out.offset, out.ldc, out.alpha, out.beta);
        } else {
            split(ops, byRows, parts, unit, out);
        }
    }

    /** Runs {@code parts} serial products over blocks of rows (or columns) of C, whole multiples of unit. */
    private void split(Operands ops, boolean byRows, int parts, int unit, Target out) {
        int units = ceilDiv(byRows ? ops.m() : ops.n(), unit);
        int limit = byRows ? ops.m() : ops.n();
        Parallel.forRange(parts, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                int start = Math.min(limit, (int) ((long) units * t / parts) * unit);
                int end = Math.min(limit, (int) ((long) units * (t + 1) / parts) * unit);
                if (end > start) {
                    Operands part = byRows ? ops.rows(start, end) : ops.columns(start, end);
                    int offset = out.offset + (byRows ? start * out.ldc : start);
                    serial(part).run(0, ops.k(), out.c, offset, out.ldc, out.alpha, out.beta);
                }
            }
        });
    }

    /** C = beta * C, or 0 when beta is 0 (C not read). */
    private static void scale(float[] c, int co, int size, float beta) {
        for (int i = co; i < co + size; i++) {
            c[i] = beta == 0f ? 0f : beta * c[i];
        }
    }

    /**
     * How many slices of k to give the threads: more than one only when k is longer than C is large, so that
     * C's tiles alone would leave threads idle while the extra sum over slices stays cheap.
     */
    private static int kSlices(Operands ops) {
        if ((long) ops.m() * ops.n() > ops.k()) {
            return 1;
        }
        return Math.max(1, Math.min(Parallel.threads(), ops.k() / MIN_SLICE));
    }

    /** Each thread computes the product over its slice of k into its own partial C; the slices are then summed. */
    private void splitK(Operands ops, int slices, Target out) {
        int size = ops.m() * ops.n();
        float[] partials = Workspace.current().partials(slices * size);
        Parallel.forRange(slices, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                int k0 = (int) ((long) ops.k() * t / slices);
                int k1 = (int) ((long) ops.k() * (t + 1) / slices);
                serial(ops).run(k0, k1, partials, t * size, ops.n(), 1f, 0f);
            }
        });
        for (int i = 0; i < size; i++) {
            float sum = 0f;
            for (int t = 0; t < slices; t++) {
                sum += partials[t * size + i];
            }
            int at = out.offset + i;
            out.c[at] = out.beta == 0f ? out.alpha * sum : out.alpha * sum + out.beta * out.c[at];
        }
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
