package dev.cortado.cpu.gemm;

/**
 * The inputs of one matrix product: {@code op(A)} is {@code m x k}, stored from {@code a[ao]} as {@code m x k}
 * or (transposed) {@code k x m} with rows {@code lda} apart; {@code op(B)} is {@code k x n}, stored from
 * {@code b[bo]} as {@code k x n} or {@code n x k} with rows {@code ldb} apart. Leading dimensions larger than a
 * row let a product be cut into products over blocks of rows or columns.
 */
record Operands(boolean transA, boolean transB, int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo,
                int ldb) {

    /** The packed operands of a {@link dev.cortado.backend.GemmSpec} product starting at these offsets. */
    static Operands packed(boolean transA, boolean transB, int m, int n, int k, float[] a, int ao, float[] b,
                           int bo) {
        return new Operands(transA, transB, m, n, k, a, ao, transA ? m : k, b, bo, transB ? k : n);
    }

    /** The product restricted to rows {@code [i0, i1)} of {@code op(A)} and C. */
    Operands rows(int i0, int i1) {
        return new Operands(transA, transB, i1 - i0, n, k, a, ao + (transA ? i0 : i0 * lda), lda, b, bo, ldb);
    }

    /** The product restricted to columns {@code [j0, j1)} of {@code op(B)} and C. */
    Operands columns(int j0, int j1) {
        return new Operands(transA, transB, m, j1 - j0, k, a, ao, lda, b, bo + (transB ? j0 * ldb : j0), ldb);
    }
}
