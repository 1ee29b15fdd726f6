package dev.cortado.cpu.gemm;

import dev.cortado.backend.GemmSpec;
import dev.cortado.cpu.Parallel;

/**
 * GEMM around a {@link MicroKernel}: checks the arguments, walks the batch and picks for each product how to
 * compute it and how to share it between the threads of {@link Parallel}. Products with a small C and a long k
 * (weight gradients) split k between threads and add the slices up; small products run on the calling thread.
 */
final class BlockedGemm {
    /** Below this many flops a product runs on the calling thread: forking would cost more than it saves. */
    private static final double PARALLEL_FLOPS = 1 << 21;
    /** Batch items below this many flops run one per thread rather than each on every thread. */
    private static final double BATCH_ITEM_FLOPS = 1 << 24;
    /** {@code A * B^T} goes to {@link DotProduct} up to this many rows of A, and is packed beyond. */
    private static final int DOT_MAX_ROWS = 256;
    /** Fewest steps of k per slice when k is split between threads. */
    private static final int MIN_SLICE = 512;

    private final MicroKernel kernel;

    BlockedGemm(MicroKernel kernel) {
        this.kernel = kernel;
    }

    MicroKernel kernel() {
        return kernel;
    }

    /** {@link Sgemm#compute}, on this kernel. */
    void compute(GemmSpec s, float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset) {
        checkExtent("A", a, aOffset, s.strideA(), s.extentA(), s);
        checkExtent("B", b, bOffset, s.strideB(), s.extentB(), s);
        checkExtent("C", c, cOffset, s.strideC(), s.extentC(), s);
        if (s.m() == 0 || s.n() == 0) {
            return;
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

    private static void checkExtent(String name, float[] array, int offset, long stride, long extent,
                                    GemmSpec s) {
        if (stride < 0) {
            throw new IllegalArgumentException("GEMM " + name + " has a negative batch stride " + stride + ": " + s);
        }
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
        Operands ops = new Operands(s.transA(), s.transB(), s.m(), s.n(), s.k(),
                a, aOffset + (int) (index * s.strideA()), b, bOffset + (int) (index * s.strideB()));
        int slices = parallel ? kSlices(ops) : 1;
        if (slices > 1) {
            splitK(ops, slices, c, co, s.alpha(), s.beta());
        } else {
            product(ops, parallel).run(0, s.k(), c, co, s.alpha(), s.beta());
        }
    }

    private Product product(Operands ops, boolean parallel) {
        return ops.transB() && !ops.transA() && ops.m() <= DOT_MAX_ROWS
                ? new DotProduct(kernel, ops, parallel)
                : new PackedProduct(kernel, ops, parallel);
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
    private void splitK(Operands ops, int slices, float[] c, int co, float alpha, float beta) {
        int size = ops.m() * ops.n();
        float[] partials = Workspace.current().partials(slices * size);
        Parallel.forRange(slices, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                int k0 = (int) ((long) ops.k() * t / slices);
                int k1 = (int) ((long) ops.k() * (t + 1) / slices);
                product(ops, false).run(k0, k1, partials, t * size, 1f, 0f);
            }
        });
        for (int i = 0; i < size; i++) {
            float sum = 0f;
            for (int t = 0; t < slices; t++) {
                sum += partials[t * size + i];
            }
            c[co + i] = beta == 0f ? alpha * sum : alpha * sum + beta * c[co + i];
        }
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
