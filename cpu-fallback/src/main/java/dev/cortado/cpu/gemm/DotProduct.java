package dev.cortado.cpu.gemm;

import static dev.cortado.cpu.gemm.BlockedGemm.ceilDiv;

import dev.cortado.cpu.Parallel;

/**
 * A product whose A and B both run along k ({@code A * B^T}, A not transposed) as blocks of dot products of rows,
 * read where they lie. Packing would transpose B, which costs more than the product itself when A has few rows
 * (a layer's forward pass on a batch, a weight gradient over a long k). Threads split the rows of A or of B,
 * whichever has more blocks.
 */
final class DotProduct implements Product {
    /** Floats of k per pass: the 7 rows of a block stay in L1. */
    private static final int KD = 1024;
    /** Rows of B per band: a band ({@code BAND x KD} floats) stays in L2 while every group of A rows meets it. */
    private static final int BAND = 64;

    private final MicroKernel kernel;
    private final int rowsPerBlock;
    private final int colsPerBlock;
    private final Operands ops;
    private final boolean parallel;

    DotProduct(MicroKernel kernel, Operands ops, boolean parallel) {
        this.kernel = kernel;
        this.rowsPerBlock = kernel.dotRows();
        this.colsPerBlock = kernel.dotCols();
        this.ops = ops;
        this.parallel = parallel;
    }

    @Override
    public void run(int k0, int k1, float[] out, int outOffset, float alpha, float beta) {
        int m = ops.m();
        int n = ops.n();
        if (!parallel) {
            rectangle(0, m, 0, n, k0, k1, out, outOffset, alpha, beta);
            return;
        }
        int rowGroups = ceilDiv(m, rowsPerBlock);
        int colGroups = ceilDiv(n, colsPerBlock);
        if (rowGroups > colGroups) {
            Parallel.forRange(rowGroups, 1, (from, to) -> rectangle(from * rowsPerBlock,
                    Math.min(m, to * rowsPerBlock), 0, n, k0, k1, out, outOffset, alpha, beta));
        } else {
            Parallel.forRange(colGroups, 1, (from, to) -> rectangle(0, m, from * colsPerBlock,
                    Math.min(n, to * colsPerBlock), k0, k1, out, outOffset, alpha, beta));
        }
    }

    /** Rows {@code [i0, i1)} by columns {@code [j0, j1)} of the product over depths {@code [k0, k1)}. */
    private void rectangle(int i0, int i1, int j0, int j1, int k0, int k1, float[] out, int outOffset,
                           float alpha, float beta) {
        int k = ops.k();
        int n = ops.n();
        float[] scratch = null;
        for (int pc = k0; pc < k1; pc += KD) {
            int len = Math.min(KD, k1 - pc);
            float betaNow = pc == k0 ? beta : 1f;
            for (int band = j0; band < j1; band += BAND) {
                int bandEnd = Math.min(j1, band + BAND);
                for (int i = i0; i < i1; i += rowsPerBlock) {
                    int rows = Math.min(rowsPerBlock, i1 - i);
                    int ai = ops.ao() + i * k + pc;
                    for (int j = band; j < bandEnd; j += colsPerBlock) {
                        int cols = Math.min(colsPerBlock, bandEnd - j);
                        int bi = ops.bo() + j * k + pc;
                        int oi = outOffset + i * n + j;
                        if (rows == rowsPerBlock && cols == colsPerBlock) {
                            kernel.dots(len, ops.a(), ai, k, rows, ops.b(), bi, k, cols, out, oi, n, alpha, betaNow);
                        } else {
                            if (scratch == null) {
                                scratch = Workspace.current().tile(rowsPerBlock * colsPerBlock);
                            }
                            kernel.dots(len, ops.a(), ai, k, rows, ops.b(), bi, k, cols, scratch, 0, colsPerBlock,
                                    alpha, 0f);
                            Edges.merge(scratch, colsPerBlock, rows, cols, out, oi, n, betaNow);
                        }
                    }
                }
            }
        }
    }
}
