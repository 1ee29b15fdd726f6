package dev.cortado.cpu.gemm;

/** Writes four finished sums into a row of C, for the kernels that keep their sums in scalars. */
final class RowOfFour {
    private RowOfFour() {
    }

    /** {@code out[oi + j] = v_j} for j < 4. */
    static void put(float v0, float v1, float v2, float v3, float[] out, int oi) {
        out[oi] = v0;
        out[oi + 1] = v1;
        out[oi + 2] = v2;
        out[oi + 3] = v3;
    }

    /** {@code out[oi + j] = alpha * v_j + beta * out[oi + j]} for j < 4, not reading out when beta is 0. */
    static void write(float v0, float v1, float v2, float v3, float[] out, int oi, float alpha, float beta) {
        if (beta == 0f) {
            out[oi] = alpha * v0;
            out[oi + 1] = alpha * v1;
            out[oi + 2] = alpha * v2;
            out[oi + 3] = alpha * v3;
        } else {
            out[oi] = alpha * v0 + beta * out[oi];
            out[oi + 1] = alpha * v1 + beta * out[oi + 1];
            out[oi + 2] = alpha * v2 + beta * out[oi + 2];
            out[oi + 3] = alpha * v3 + beta * out[oi + 3];
        }
    }
}
