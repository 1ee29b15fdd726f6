package dev.cortado.cpu.gemm;

/**
 * The inputs of one matrix product of a batch: {@code op(A)} is {@code m x k}, stored from {@code a[ao]} as
 * {@code m x k} or (transposed) {@code k x m}; {@code op(B)} is {@code k x n}, stored from {@code b[bo]} as
 * {@code k x n} or {@code n x k}.
 */
record Operands(boolean transA, boolean transB, int m, int n, int k, float[] a, int ao, float[] b, int bo) {
}
