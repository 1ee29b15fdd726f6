package dev.cortado.cpu.gemm;

/**
 * A product whose A and B both run along k ({@code A * B^T}, A not transposed) as blocks of dot products of rows,
 * read where they lie. Packing would transpose B, which costs more than the product itself when A has few rows
 * (a layer's forward pass on a batch, a weight gradient over a long k). Runs on the calling thread; callers share
 * the work out by blocks of rows or columns, or slices of k.
 */
final class DotProduct implements Product {
    private final MicroKernel kernel;
    /** Floats of k per pass: the rows of a block stay in L1. */
    private final int depth;
    /** Rows of B per band: a band ({@code band x depth} floats) stays in L2 while every group of A rows meets it. */
    private final int band;
    private final Operands ops;

    DotProduct(MicroKernel kernel, Blocking blocking, Operands ops) {
        this.kernel = kernel;
        this.depth = blocking.dotDepth();
        this.band = blocking.dotBand();
        this.ops = ops;
    }

    @Override
    public void run(int k0, int k1, float[] out, int outOffset, int ldo, float alpha, float beta) {
        int m = ops.m();
        int n = ops.n();
        int lda = ops.lda();
        int ldb = ops.ldb();
        int blockRows = kernel.dotRows();
        int blockCols = kernel.dotCols();
        float[] scratch = null;
        for (int pc = k0; pc < k1; pc += depth) {
            int len = Math.min(depth, k1 - pc);
            float betaNow = pc == k0 ? beta : 1f;
            for (int first = 0; first < n; first += band) {
                int bandEnd = Math.min(n, first + band);
                for (int i = 0; i < m; i += blockRows) {
                    int rows = Math.min(blockRows, m - i);
                    int ai = ops.ao() + i * lda + pc;
                    for (int j = first; j < bandEnd; j += blockCols) {
                        int cols = Math.min(blockCols, bandEnd - j);
                        int bi = ops.bo() + j * ldb + pc;
                        int oi = outOffset + i * ldo + j;
                        if (rows == blockRows && cols == blockCols) {
                            kernel.dots(len, ops.a(), ai, lda, rows, ops.b(), bi, ldb, cols, out, oi, ldo, alpha,
                                    betaNow);
                        } else {
                            if (scratch == null) {
                                scratch = Workspace.current().tile(blockRows * blockCols);
                            }
                            kernel.dots(len, ops.a(), ai, lda, rows, ops.b(), bi, ldb, cols, scratch, 0, blockCols,
                                    1f, 0f);
                            TileMerge.merge(scratch, blockCols, rows, cols, out, oi, ldo, alpha, betaNow);
                        }
                    }
                }
            }
        }
    }
}
