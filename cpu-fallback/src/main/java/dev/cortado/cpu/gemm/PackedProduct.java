package dev.cortado.cpu.gemm;

import static dev.cortado.cpu.gemm.BlockedGemm.ceilDiv;

import dev.cortado.cpu.Parallel;

/**
 * A product blocked for the cache and packed, in the manner of GotoBLAS: for each block of {@code kc} steps of k,
 * B's columns are packed into strips of {@code nr} and A's rows, {@code mc} at a time, into slivers of
 * {@code mr}; every sliver then meets every strip in the micro-kernel. {@link #run} does this on the calling
 * thread; {@link #runShared} packs B once with every thread and shares it while the threads take blocks of rows.
 * The block sizes are the machine's {@link Blocking}.
 */
final class PackedProduct implements Product {
    /**
     * When C has at most this many rows, B (not transposed) is read where it lies instead of being packed: each
     * of its elements meets only a few A slivers, too few to repay a copy.
     */
    private static final int DIRECT_B_ROWS = 240;

    private final MicroKernel kernel;
    private final int mr;
    private final int nr;
    private final int kcMax;
    private final int mcMax;
    private final int ncMax;
    private final int bandFloats;
    private final int sharedBFloats;
    private final Operands ops;
    private final boolean directB;

    PackedProduct(MicroKernel kernel, Blocking blocking, Operands ops) {
        this.kernel = kernel;
        this.mr = kernel.mr();
        this.nr = kernel.nr();
        this.kcMax = blocking.kc();
        this.mcMax = blocking.mc();
        this.ncMax = blocking.nc();
        this.bandFloats = blocking.bandFloats();
        this.sharedBFloats = blocking.sharedBFloats();
        this.ops = ops;
        this.directB = !ops.transB() && ops.m() <= DIRECT_B_ROWS;
    }

    /** Whether B is read where it lies rather than packed (see {@link #DIRECT_B_ROWS}). */
    boolean readsBInPlace() {
        return directB;
    }

    @Override
    public void run(int k0, int k1, float[] out, int outOffset, int ldo, float alpha, float beta) {
        int m = ops.m();
        int n = ops.n();
        int kBlocks = ceilDiv(k1 - k0, kcMax);
        int kcLongest = ceilDiv(k1 - k0, kBlocks);
        int ncWidest = directB ? n : Math.min(n, ncMax);
        Workspace ws = Workspace.current();
        float[] packedA = ws.packedA(ceilDiv(Math.min(m, mcMax), mr) * mr * kcLongest);
        float[] packedB = ws.packedB((directB ? 1 : ceilDiv(ncWidest, nr)) * nr * kcLongest);
        for (int jc = 0; jc < n; jc += ncWidest) {
            int nc = Math.min(ncWidest, n - jc);
            for (int q = 0; q < kBlocks; q++) {
                int pc = blockStart(k0, k1, kBlocks, q);
                int kc = blockStart(k0, k1, kBlocks, q + 1) - pc;
                float betaNow = q == 0 ? beta : 1f;
                for (int s = firstPackedStrip(nc); s < ceilDiv(nc, nr); s++) {
                    packStrip(jc, nc, s, pc, kc, packedB, stripOffset(0, s, kc));
                }
                for (int ic = 0; ic < m; ic += mcMax) {
                    int rows = Math.min(mcMax, m - ic);
                    packRows(ic, rows, pc, kc, packedA);
                    sweep(pc, kc, packedA, ic, rows, packedB, 0, jc, nc, out, outOffset, ldo, alpha, betaNow);
                }
            }
        }
    }

    /**
     * {@link #run} on every thread, for products that pack B: up to {@link Blocking#sharedBFloats} of B (all of k
     * where it fits, else a group of k's blocks) are packed by every thread into the caller's workspace; then the
     * threads take blocks of C's rows, each packing its own slivers of A. Two forks per group.
     */
    void runShared(int k0, int k1, float[] out, int outOffset, int ldo, float alpha, float beta) {
        if (directB) {
            throw new IllegalStateException("runShared is for products that pack B; this one reads B in place");
        }
        int n = ops.n();
        int ncWidest = Math.min(n, ncMax);
        int groupDepth = Math.max(kcMax, sharedBFloats / (ceilDiv(ncWidest, nr) * nr));
        float[] packedB = Workspace.current().packedB(ceilDiv(ncWidest, nr) * nr * Math.min(k1 - k0, groupDepth));
        for (int jc = 0; jc < n; jc += ncWidest) {
            for (int g0 = k0; g0 < k1; g0 += groupDepth) {
                sharedGroup(jc, Math.min(ncWidest, n - jc), g0, Math.min(k1, g0 + groupDepth), packedB, out,
                        outOffset, ldo, alpha, g0 == k0 ? beta : 1f);
            }
        }
    }

    /** Columns {@code [jc, jc + nc)} of the product over depths {@code [g0, g1)}, on every thread. */
    private void sharedGroup(int jc, int nc, int g0, int g1, float[] packedB, float[] out, int outOffset, int ldo,
                             float alpha, float beta) {
        int m = ops.m();
        int kBlocks = ceilDiv(g1 - g0, kcMax);
        int strips = ceilDiv(nc, nr);
        Parallel.forRange(kBlocks * strips, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                int q = t / strips;
                int s = t % strips;
                int pc = blockStart(g0, g1, kBlocks, q);
                int kc = blockStart(g0, g1, kBlocks, q + 1) - pc;
                packStrip(jc, nc, s, pc, kc, packedB, stripOffset((pc - g0) * strips * nr, s, kc));
            }
        });
        // blocks of rows: at least four per thread, so that stealing evens out threads the OS slows down
        int parts = Math.max(4 * Parallel.threads(), ceilDiv(m, mcMax));
        int partRows = ceilDiv(ceilDiv(m, parts), mr) * mr;
        Parallel.forRange(parts, 1, (from, to) -> {
            float[] packedA = Workspace.current().packedA(partRows * ceilDiv(g1 - g0, kBlocks));
            for (int part = from; part < to; part++) {
                int row0 = part * partRows;
                int rows = Math.min(partRows, m - row0);
                for (int q = 0; q < kBlocks && rows > 0; q++) {
                    int pc = blockStart(g0, g1, kBlocks, q);
                    int kc = blockStart(g0, g1, kBlocks, q + 1) - pc;
                    packRows(row0, rows, pc, kc, packedA);
                    sweep(pc, kc, packedA, row0, rows, packedB, (pc - g0) * strips * nr, jc, nc, out, outOffset,
                            ldo, alpha, q == 0 ? beta : 1f);
                }
            }
        });
    }

    /** Start of block q of k's range split into blocks of near-equal length. */
    private static int blockStart(int k0, int k1, int blocks, int q) {
        return k0 + (int) ((long) (k1 - k0) * q / blocks);
    }

    /** The first strip to pack: all of them, or in place only a partial last strip (the kernel reads whole ones). */
    private int firstPackedStrip(int nc) {
        return directB ? nc / nr : 0;
    }

    /** Where strip s of a block of depth kc sits in packed B; in place, the one packed strip sits at the base. */
    private int stripOffset(int base, int s, int kc) {
        return directB ? base : base + s * kc * nr;
    }

    private void packStrip(int jc, int nc, int s, int pc, int kc, float[] packedB, int at) {
        int col = jc + s * nr;
        Packing.sliverOfB(ops, col, Math.min(nr, jc + nc - col), pc, kc, packedB, at, nr);
    }

    private void packRows(int ic, int rows, int pc, int kc, float[] packedA) {
        for (int q = 0; q * mr < rows; q++) {
            Packing.sliverOfA(ops, ic + q * mr, Math.min(mr, rows - q * mr), pc, kc, packedA, q * kc * mr, mr);
        }
    }

    /**
     * The tiles of rows {@code [row0, row0 + rows)} (packed in {@code packedA}) by columns {@code [jc, jc + nc)}
     * (packed in strips from {@code packedB[bBase]}, or read in place), over depths
     * {@code [pc, pc + kc)}. Strips are taken a band at a time, a band holding about {@link Blocking#bandFloats} of B;
     * each A sliver meets every strip of the band, so C is written along its rows.
     */
    private void sweep(int pc, int kc, float[] packedA, int row0, int rows, float[] packedB, int bBase, int jc,
                       int nc, float[] c, int co, int ldc, float alpha, float beta) {
        int strips = ceilDiv(nc, nr);
        int band = Math.max(1, bandFloats / (kc * nr));
        float[] scratch = null;
        for (int first = 0; first < strips; first += band) {
            int last = Math.min(strips, first + band);
            for (int q = 0; q * mr < rows; q++) {
                int row = row0 + q * mr;
                int tileRows = Math.min(mr, rows - q * mr);
                for (int s = first; s < last; s++) {
                    int col = jc + s * nr;
                    int cols = Math.min(nr, jc + nc - col);
                    float[] bArray = packedB;
                    int bi = stripOffset(bBase, s, kc);
                    int ldb = nr;
                    if (directB && cols == nr) {
                        bArray = ops.b();
                        bi = ops.bo() + pc * ops.ldb() + col;
                        ldb = ops.ldb();
                    }
                    int ci = co + row * ldc + col;
                    if (tileRows == mr && cols == nr && alpha == 1f && beta == 0f) {
                        kernel.tile(kc, packedA, q * kc * mr, bArray, bi, ldb, c, ci, ldc);
                        continue;
                    }
                    if (scratch == null) {
                        scratch = Workspace.current().tile(mr * nr);
                    }
                    kernel.tile(kc, packedA, q * kc * mr, bArray, bi, ldb, scratch, 0, nr);
                    if (tileRows == mr && cols == nr) {
                        kernel.mergeTile(scratch, c, ci, ldc, alpha, beta);
                    } else {
                        TileMerge.merge(scratch, nr, tileRows, cols, c, ci, ldc, alpha, beta);
                    }
                }
            }
        }
    }
}
