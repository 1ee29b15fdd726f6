package dev.cortado.cuda;

import dev.cortado.backend.GemmSpec;

/**
 * A row-major {@link GemmSpec} as the column-major call cuBLAS takes. A packed row-major r x c matrix is the
 * column-major c x r matrix with leading dimension c, its transpose; so row-major {@code C = op(A) op(B)} is
 * column-major {@code C^T = op(B)^T op(A)^T}: cuBLAS gets B as its first operand and A as its second, with the
 * same transpose flags, {@code m} and {@code n} swapped, and C unchanged in memory. A pure function of the spec.
 *
 * @param transFirst whether cuBLAS transposes its first operand ({@code transa})
 * @param transSecond whether cuBLAS transposes its second operand ({@code transb})
 * @param m rows of cuBLAS's C (the spec's n)
 * @param n columns of cuBLAS's C (the spec's m)
 * @param k the inner dimension
 * @param first which of the spec's operands is cuBLAS's A
 * @param ldFirst its leading dimension
 * @param strideFirst its batch stride
 * @param second which of the spec's operands is cuBLAS's B
 * @param ldSecond its leading dimension
 * @param strideSecond its batch stride
 * @param ldc C's leading dimension
 */
record ColumnMajorGemm(boolean transFirst, boolean transSecond, int m, int n, int k, float alpha, Operand first,
                       int ldFirst, long strideFirst, Operand second, int ldSecond, long strideSecond, float beta,
                       int ldc, long strideC, int batch) {

    /** An operand of the row-major spec. */
    enum Operand { A, B }

    /** The cuBLAS call that computes {@code spec}; needs {@code k >= 1} (cuBLAS rejects leading dimensions of 0). */
    static ColumnMajorGemm of(GemmSpec spec) {
        if (spec.k() < 1 || spec.m() < 1 || spec.n() < 1) {
            throw new IllegalArgumentException("cuBLAS needs m, n, k >= 1, got " + spec);
        }
        int ldA = spec.transA() ? spec.m() : spec.k();
        int ldB = spec.transB() ? spec.k() : spec.n();
        return new ColumnMajorGemm(spec.transB(), spec.transA(), spec.n(), spec.m(), spec.k(), spec.alpha(),
                Operand.B, ldB, spec.strideB(), Operand.A, ldA, spec.strideA(), spec.beta(), spec.n(), spec.strideC(),
                spec.batch());
    }
}
