package dev.cortado.backend;

/**
 * A (strided, batched) single-precision matrix product on packed row-major matrices:
 * {@code C[i] = alpha * op(A[i]) * op(B[i]) + beta * C[i]} for {@code i < batch}, where {@code op(A)} is
 * {@code m x k}, {@code op(B)} is {@code k x n} and {@code C} is {@code m x n}.
 *
 * <p>{@code A} is stored as {@code m x k} (or {@code k x m} when {@code transA}), {@code B} as {@code k x n} (or
 * {@code n x k} when {@code transB}), each packed (leading dimension = its number of columns). Matrix {@code i}
 * of a batch starts {@code i * stride} floats after the tensor's start; a stride of 0 shares one matrix across
 * the batch (allowed for A and B, not for C). When {@code beta} is 0, C is not read, so garbage or NaN in it does
 * not propagate.
 */
public record GemmSpec(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                       int batch, long strideA, long strideB, long strideC) {

    public GemmSpec {
        if (m < 0 || n < 0 || k < 0 || batch < 1) {
            throw new IllegalArgumentException("bad GEMM dimensions m=" + m + " n=" + n + " k=" + k
                    + " batch=" + batch);
        }
        if (strideA < 0 || strideB < 0 || strideC < 0) {
            throw new IllegalArgumentException("negative GEMM batch stride: strideA=" + strideA + " strideB="
                    + strideB + " strideC=" + strideC);
        }
        if (batch > 1 && strideC < (long) m * n) {
            throw new IllegalArgumentException("batched GEMM outputs overlap: strideC=" + strideC + " < m*n="
                    + (long) m * n);
        }
    }

    /** One product {@code C = op(A) * op(B)}. */
    public static GemmSpec of(boolean transA, boolean transB, int m, int n, int k) {
        return new GemmSpec(transA, transB, m, n, k, 1f, 0f, 1, 0, 0, 0);
    }

    /** This product with {@code C = alpha * op(A) * op(B) + beta * C}. */
    public GemmSpec scaled(float newAlpha, float newBeta) {
        return new GemmSpec(transA, transB, m, n, k, newAlpha, newBeta, batch, strideA, strideB, strideC);
    }

    /** This product repeated over a batch with the given strides (in floats). */
    public GemmSpec batched(int count, long newStrideA, long newStrideB, long newStrideC) {
        return new GemmSpec(transA, transB, m, n, k, alpha, beta, count, newStrideA, newStrideB, newStrideC);
    }

    /** Floats spanned by A, B and C for the whole batch, for bounds checks. */
    public long extentA() {
        return (long) (batch - 1) * strideA + (long) m * k;
    }

    public long extentB() {
        return (long) (batch - 1) * strideB + (long) k * n;
    }

    public long extentC() {
        return (long) (batch - 1) * strideC + (long) m * n;
    }

    /** Floating-point operations of the whole product (2mnk per matrix), for throughput figures. */
    public double flops() {
        return 2.0 * m * n * k * batch;
    }
}
