package dev.cortado.cpu.gemm;

/**
 * The two innermost loops of GEMM. {@link #tile} computes one {@code mr() x nr()} tile of C from a packed
 * sliver of A and a sliver of B; {@link #dots} computes a {@code dotRows() x dotCols()} block of dot products of
 * rows, for products whose A and B both run along k. Implementations differ only in how they use the hardware;
 * {@link PackedProduct} and {@link DotProduct} do the blocking, packing, edges and threading around them.
 */
interface MicroKernel {

    /** Rows of C per tile. */
    int mr();

    /** Columns of C per tile. */
    int nr();

    /** Rows of A per block of dot products. */
    int dotRows();

    /** Rows of B per block of dot products. */
    int dotCols();

    /**
     * From k at least this many times the rows of A on, {@code A * B^T} is faster as {@link #dots} than packed:
     * packing B^T costs per float of B and is repaid over the rows of A, the dot products' horizontal sums cost per
     * element of C and are repaid over k. Measured per vector width (see {@code BlockedGemm}).
     */
    int dotDepthPerRow();

    /** A line for device listings: which kernel this is and how wide it computes. */
    String describe();

    /**
     * {@code C = A * B} for one full tile, where A is {@code mr() x kc} packed column by column
     * ({@code a[ai + p * mr() + r]}) and B is {@code kc x nr()} with rows {@code ldb} apart
     * ({@code b[bi + p * ldb + j]}). C's rows are {@code ldc} apart from {@code c[ci]}; C is only written. Scaling
     * is {@link #mergeTile}'s: a kernel whose stores also scaled and added grew too large for C2 to compile its
     * Vector API calls as intrinsics every time.
     */
    void tile(int kc, float[] a, int ai, float[] b, int bi, int ldb, float[] c, int ci, int ldc);

    /**
     * {@code out = alpha * tile + beta * out} for one full {@code mr() x nr()} tile stored with rows {@code nr()}
     * apart, as {@link TileMerge#merge} computes it (the same bits); out is only written when beta is 0.
     */
    void mergeTile(float[] tile, float[] out, int oi, int ldo, float alpha, float beta);

    /**
     * {@code out[oi + r * ldo + s] = alpha * dot(A row r, B row s) + beta * out[...]} for every {@code r <
     * dotRows()}, {@code s < dotCols()}, each dot product over {@code len} floats. A row r starts at
     * {@code a[ai + min(r, rows - 1) * lda]} and B row s at {@code b[bi + min(s, cols - 1) * ldb]}: rows past
     * {@code rows} and {@code cols} repeat the last real one, so only the {@code rows x cols} corner of the block
     * means anything. When {@code beta} is 0, out is only written.
     */
    void dots(int len, float[] a, int ai, int lda, int rows, float[] b, int bi, int ldb, int cols, float[] out,
              int oi, int ldo, float alpha, float beta);
}
