package dev.cortado.cpu.gemm;

import static dev.cortado.cpu.gemm.BlockedGemm.ceilDiv;

import dev.cortado.cpu.Parallel;

/**
 * A product blocked for the cache and packed, in the manner of GotoBLAS. For each block of k the calling thread
 * has the pool pack slivers of A and strips of B into the caller's workspace, then compute the tiles of C, split
 * between threads by blocks of rows and columns. The fields below the operands describe the current block: the
 * caller writes them before each parallel phase, and the pool's hand-off makes them visible to the workers.
 */
final class PackedProduct implements Product {
    /** Steps of k per packed block. */
    static final int KC = 256;
    /** Rows of C per task: their A slivers ({@code MC x KC} floats) stay in L2. */
    static final int MC = 120;
    /** Rows of A packed at once, which bounds the shared A buffer. */
    private static final int MB = 960;
    /** Columns of B packed at once, which bounds the shared B buffer. */
    private static final int NC = 4096;
    /**
     * When C has at most this many rows, B (not transposed) is read where it lies instead of being packed: each
     * of its elements meets only a few A slivers, too few to repay a copy.
     */
    private static final int DIRECT_B_ROWS = 2 * MC;
    /** Slivers per packing task: enough copying to outweigh the cost of a fork. */
    private static final int PACK_GRAIN = 4;
    /** Floats of packed B that one pass over a task's A slivers works on: a quarter of a 1 MiB L2. */
    private static final int BAND_FLOATS = 64 * 1024;

    private final MicroKernel kernel;
    private final int mr;
    private final int nr;
    private final Operands ops;
    private final boolean parallel;
    private final boolean directB;

    private float[] c;
    private int co;
    private int ldc;
    private float alpha;
    private float beta;
    private float[] packedA;
    private float[] packedB;
    private int ic;
    private int mb;
    private int jc;
    private int nc;
    private int pc;
    private int kc;
    private int slivers;
    private int stripsToPack;
    private int rowBlocks;
    private int columnBlocks;

    PackedProduct(MicroKernel kernel, Operands ops, boolean parallel) {
        this.kernel = kernel;
        this.mr = kernel.mr();
        this.nr = kernel.nr();
        this.ops = ops;
        this.parallel = parallel;
        this.directB = !ops.transB() && ops.m() <= DIRECT_B_ROWS;
    }

    @Override
    public void run(int k0, int k1, float[] out, int outOffset, int ldo, float alphaValue, float betaValue) {
        c = out;
        co = outOffset;
        ldc = ldo;
        alpha = alphaValue;
        int m = ops.m();
        int n = ops.n();
        int kBlocks = ceilDiv(k1 - k0, KC);
        int kcMax = ceilDiv(k1 - k0, kBlocks);
        int ncMax = directB ? n : Math.min(n, NC);
        Workspace ws = Workspace.current();
        packedA = ws.packedA(ceilDiv(Math.min(m, MB), mr) * mr * kcMax);
        packedB = ws.packedB((directB ? 1 : ceilDiv(ncMax, nr)) * nr * kcMax);
        for (jc = 0; jc < n; jc += ncMax) {
            nc = Math.min(ncMax, n - jc);
            for (int q = 0; q < kBlocks; q++) {
                pc = k0 + (int) ((long) (k1 - k0) * q / kBlocks);
                kc = k0 + (int) ((long) (k1 - k0) * (q + 1) / kBlocks) - pc;
                beta = q == 0 ? betaValue : 1f;
                for (ic = 0; ic < m; ic += MB) {
                    mb = Math.min(MB, m - ic);
                    block(ic == 0);
                }
            }
        }
    }

    /** Packs and multiplies the current block: rows {@code [ic, ic+mb)}, columns {@code [jc, jc+nc)}, depths
     * {@code [pc, pc+kc)}; B is packed only with the first rows, then reused. */
    private void block(boolean packB) {
        slivers = ceilDiv(mb, mr);
        int strips = ceilDiv(nc, nr);
        if (!packB) {
            stripsToPack = 0;
        } else if (directB) {
            stripsToPack = nc % nr == 0 ? 0 : 1;
        } else {
            stripsToPack = strips;
        }
        int threads = Parallel.threads();
        rowBlocks = ceilDiv(slivers, MC / mr);
        columnBlocks = parallel && rowBlocks < 4 * threads
                ? Math.min(strips, ceilDiv(4 * threads, rowBlocks)) : 1;
        if (parallel) {
            Parallel.forRange(slivers + stripsToPack, PACK_GRAIN, this::pack);
            Parallel.forRange(rowBlocks * columnBlocks, 1, this::multiply);
        } else {
            pack(0, slivers + stripsToPack);
            multiply(0, rowBlocks * columnBlocks);
        }
    }

    /** Packs A slivers {@code [from, to)}, where indices past the A slivers stand for B strips. */
    private void pack(int from, int to) {
        for (int t = from; t < to; t++) {
            if (t < slivers) {
                int row = ic + t * mr;
                Packing.sliverOfA(ops, row, Math.min(mr, ic + mb - row), pc, kc, packedA, t * kc * mr, mr);
            } else {
                int strip = directB ? nc / nr : t - slivers;
                int col = jc + strip * nr;
                Packing.sliverOfB(ops, col, Math.min(nr, jc + nc - col), pc, kc, packedB,
                        directB ? 0 : strip * kc * nr, nr);
            }
        }
    }

    /** Computes tasks {@code [from, to)} of the grid of row blocks by column blocks. */
    private void multiply(int from, int to) {
        int strips = ceilDiv(nc, nr);
        for (int t = from; t < to; t++) {
            int rb = t / columnBlocks;
            int cb = t % columnBlocks;
            tiles(slivers * rb / rowBlocks, slivers * (rb + 1) / rowBlocks,
                    strips * cb / columnBlocks, strips * (cb + 1) / columnBlocks);
        }
    }

    /**
     * The tiles of A slivers {@code [a0, a1)} by B strips {@code [s0, s1)}. Strips are taken a band at a time,
     * a band holding about {@code BAND_FLOATS} of B (in L2); each A sliver (in L1) then meets every strip of
     * the band, so C is written along its rows.
     */
    private void tiles(int a0, int a1, int s0, int s1) {
        int band = Math.max(1, BAND_FLOATS / (kc * nr));
        for (int first = s0; first < s1; first += band) {
            int last = Math.min(s1, first + band);
            for (int q = a0; q < a1; q++) {
                for (int s = first; s < last; s++) {
                    tile(q, s);
                }
            }
        }
    }

    /** The tile of A sliver {@code q} by B strip {@code s}. */
    private void tile(int q, int s) {
        int col = jc + s * nr;
        int cols = Math.min(nr, jc + nc - col);
        float[] bArray = packedB;
        int bi = directB ? 0 : s * kc * nr;
        int ldb = nr;
        if (directB && cols == nr) {
            bArray = ops.b();
            bi = ops.bo() + pc * ops.ldb() + col;
            ldb = ops.ldb();
        }
        int row = ic + q * mr;
        int rows = Math.min(mr, ic + mb - row);
        int ci = co + row * ldc + col;
        if (rows == mr && cols == nr) {
            kernel.tile(kc, packedA, q * kc * mr, bArray, bi, ldb, c, ci, ldc, alpha, beta);
        } else {
            float[] tile = Workspace.current().tile(mr * nr);
            kernel.tile(kc, packedA, q * kc * mr, bArray, bi, ldb, tile, 0, nr, alpha, 0f);
            Edges.merge(tile, nr, rows, cols, c, ci, ldc, beta);
        }
    }
}
