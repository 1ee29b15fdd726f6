package dev.cortado.cpu.gemm;

/**
 * Kernels always compute whole tiles; at the right and bottom edges of C they compute into scratch, and this
 * copies the part that lies inside C.
 */
final class Edges {
    private Edges() {
    }

    /**
     * {@code out = scratch + beta * out} over the {@code rows x cols} corner, where scratch (already scaled by
     * alpha) has rows {@code ldt} apart and out rows {@code ldo} apart from {@code out[oi]}; out is only written
     * when beta is 0.
     */
    static void merge(float[] scratch, int ldt, int rows, int cols, float[] out, int oi, int ldo, float beta) {
        for (int r = 0; r < rows; r++) {
            int at = oi + r * ldo;
            if (beta == 0f) {
                System.arraycopy(scratch, r * ldt, out, at, cols);
            } else {
                for (int j = 0; j < cols; j++) {
                    out[at + j] = scratch[r * ldt + j] + beta * out[at + j];
                }
            }
        }
    }
}
