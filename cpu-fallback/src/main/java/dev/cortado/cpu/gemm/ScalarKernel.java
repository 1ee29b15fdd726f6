package dev.cortado.cpu.gemm;

/**
 * Register-blocked kernels in plain Java, for JVMs started without the Vector API module: 4 x 4 tiles (sixteen
 * scalar accumulators fed by four loads of A and four of B per step of k) and 3 x 4 blocks of dot products. On the
 * project machine it runs at about a ninth of the Vector API kernel. Forms written for C2's auto-vectorizer (row
 * updates {@code acc[j] += x * b[o + j]} over slivers of 16 to 64 floats) measured two to three times slower than
 * this on JDK 17: C2 does not vectorize them when the two arrays are read at different offsets.
 *
 * <p>This class must never refer to {@code jdk.incubator.vector}: it is what runs where that module is absent.
 */
final class ScalarKernel implements MicroKernel {
    private static final int MR = 4;
    private static final int NR = 4;
    private static final int DOT_ROWS = 3;
    private static final int DOT_COLS = 4;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public int dotRows() {
        return DOT_ROWS;
    }

    @Override
    public int dotCols() {
        return DOT_COLS;
    }

    /** Measured: dot products took half the packed product's time at one row of A, as long at eight (k = 16m). */
    @Override
    public int dotDepthPerRow() {
        return 64;
    }

    @Override
    public String describe() {
        return "scalar " + MR + "x" + NR;
    }

    @Override
    public void tile(int kc, float[] a, int ai, float[] b, int bi, int ldb, float[] c, int ci, int ldc) {
        float c00 = 0f;
        float c01 = 0f;
        float c02 = 0f;
        float c03 = 0f;
        float c10 = 0f;
        float c11 = 0f;
        float c12 = 0f;
        float c13 = 0f;
        float c20 = 0f;
        float c21 = 0f;
        float c22 = 0f;
        float c23 = 0f;
        float c30 = 0f;
        float c31 = 0f;
        float c32 = 0f;
        float c33 = 0f;
        for (int p = 0; p < kc; p++) {
            float b0 = b[bi];
            float b1 = b[bi + 1];
            float b2 = b[bi + 2];
            float b3 = b[bi + 3];
            float x = a[ai];
            c00 += x * b0;
            c01 += x * b1;
            c02 += x * b2;
            c03 += x * b3;
            x = a[ai + 1];
            c10 += x * b0;
            c11 += x * b1;
            c12 += x * b2;
            c13 += x * b3;
            x = a[ai + 2];
            c20 += x * b0;
            c21 += x * b1;
            c22 += x * b2;
            c23 += x * b3;
            x = a[ai + 3];
            c30 += x * b0;
            c31 += x * b1;
            c32 += x * b2;
            c33 += x * b3;
            ai += MR;
            bi += ldb;
        }
        RowOfFour.put(c00, c01, c02, c03, c, ci);
        RowOfFour.put(c10, c11, c12, c13, c, ci + ldc);
        RowOfFour.put(c20, c21, c22, c23, c, ci + 2 * ldc);
        RowOfFour.put(c30, c31, c32, c33, c, ci + 3 * ldc);
    }

    @Override
    public void mergeTile(float[] tile, float[] out, int oi, int ldo, float alpha, float beta) {
        TileMerge.merge(tile, NR, MR, NR, out, oi, ldo, alpha, beta);
    }

    @Override
    public void dots(int len, float[] a, int ai, int lda, int rows, float[] b, int bi, int ldb, int cols,
                     float[] out, int oi, int ldo, float alpha, float beta) {
        int a0 = ai;
        int a1 = ai + Math.min(1, rows - 1) * lda;
        int a2 = ai + Math.min(2, rows - 1) * lda;
        int b0 = bi;
        int b1 = bi + Math.min(1, cols - 1) * ldb;
        int b2 = bi + Math.min(2, cols - 1) * ldb;
        int b3 = bi + Math.min(3, cols - 1) * ldb;
        float d00 = 0f;
        float d01 = 0f;
        float d02 = 0f;
        float d03 = 0f;
        float d10 = 0f;
        float d11 = 0f;
        float d12 = 0f;
        float d13 = 0f;
        float d20 = 0f;
        float d21 = 0f;
        float d22 = 0f;
        float d23 = 0f;
        for (int p = 0; p < len; p++) {
            float x0 = a[a0 + p];
            float x1 = a[a1 + p];
            float x2 = a[a2 + p];
            float y0 = b[b0 + p];
            float y1 = b[b1 + p];
            float y2 = b[b2 + p];
            float y3 = b[b3 + p];
            d00 += x0 * y0;
            d01 += x0 * y1;
            d02 += x0 * y2;
            d03 += x0 * y3;
            d10 += x1 * y0;
            d11 += x1 * y1;
            d12 += x1 * y2;
            d13 += x1 * y3;
            d20 += x2 * y0;
            d21 += x2 * y1;
            d22 += x2 * y2;
            d23 += x2 * y3;
        }
        RowOfFour.write(d00, d01, d02, d03, out, oi, alpha, beta);
        RowOfFour.write(d10, d11, d12, d13, out, oi + ldo, alpha, beta);
        RowOfFour.write(d20, d21, d22, d23, out, oi + 2 * ldo, alpha, beta);
    }
}
