package dev.cortado.cpu.gemm;

/**
 * Kernels compute whole tiles of plain sums. Where C takes them as they are (alpha 1, beta 0, the tile inside C)
 * they are written into C directly; elsewhere they go to scratch first, and this applies the scaling and copies
 * the part that lies inside C.
 */
final class TileMerge {
    private TileMerge() {
    }

    /**
     * {@code out = alpha * tile + beta * out} over the {@code rows x cols} corner, where tile has rows {@code ldt}
     * apart and out rows {@code ldo} apart from {@code out[oi]}; out is only written when beta is 0.
     */
    static void merge(float[] tile, int ldt, int rows, int cols, float[] out, int oi, int ldo, float alpha,
                      float beta) {
        for (int r = 0; r < rows; r++) {
            int t = r * ldt;
            int at = oi + r * ldo;
            if (beta == 0f) {
                for (int j = 0; j < cols; j++) {
                    out[at + j] = alpha * tile[t + j];
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    out[at + j] = alpha * tile[t + j] + beta * out[at + j];
                }
            }
        }
    }
}
