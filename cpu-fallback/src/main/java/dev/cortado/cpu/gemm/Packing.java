package dev.cortado.cpu.gemm;

import java.util.Arrays;

/**
 * Copies slivers of A and B into the order the micro-kernel reads them, zero-padding partial slivers so every
 * kernel call computes a full tile. A sliver of A is {@code width} rows stored column by column; a sliver of B is
 * {@code width} columns stored row by row.
 */
final class Packing {
    private Packing() {
    }

    /**
     * Packs rows {@code [row0, row0 + rows)} and depths {@code [p0, p0 + kc)} of {@code op(A)} into
     * {@code dst[d + p * width + r]}; rows from {@code rows} to {@code width} are 0.
     */
    static void sliverOfA(Operands ops, int row0, int rows, int p0, int kc, float[] dst, int d, int width) {
        float[] a = ops.a();
        int ao = ops.ao();
        int lda = ops.lda();
        if (ops.transA()) {
            for (int p = 0; p < kc; p++) {
                int src = ao + (p0 + p) * lda + row0;
                int out = d + p * width;
                for (int r = 0; r < rows; r++) {
                    dst[out + r] = a[src + r];
                }
                for (int r = rows; r < width; r++) {
                    dst[out + r] = 0f;
                }
            }
        } else {
            for (int r = 0; r < rows; r++) {
                int src = ao + (row0 + r) * lda + p0;
                for (int p = 0; p < kc; p++) {
                    dst[d + p * width + r] = a[src + p];
                }
            }
            for (int r = rows; r < width; r++) {
                for (int p = 0; p < kc; p++) {
                    dst[d + p * width + r] = 0f;
                }
            }
        }
    }

    /**
     * Packs columns {@code [col0, col0 + cols)} and depths {@code [p0, p0 + kc)} of {@code op(B)} into
     * {@code dst[d + p * width + j]}; columns from {@code cols} to {@code width} are 0.
     */
    static void sliverOfB(Operands ops, int col0, int cols, int p0, int kc, float[] dst, int d, int width) {
        float[] b = ops.b();
        int bo = ops.bo();
        int ldb = ops.ldb();
        if (ops.transB()) {
            for (int j = 0; j < cols; j++) {
                int src = bo + (col0 + j) * ldb + p0;
                for (int p = 0; p < kc; p++) {
                    dst[d + p * width + j] = b[src + p];
                }
            }
            for (int j = cols; j < width; j++) {
                for (int p = 0; p < kc; p++) {
                    dst[d + p * width + j] = 0f;
                }
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int out = d + p * width;
                System.arraycopy(b, bo + (p0 + p) * ldb + col0, dst, out, cols);
                Arrays.fill(dst, out + cols, out + width, 0f);
            }
        }
    }
}
