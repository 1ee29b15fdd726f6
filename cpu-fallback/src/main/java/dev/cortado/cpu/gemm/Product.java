package dev.cortado.cpu.gemm;

/** One way of computing one matrix product, over all of C and a range of k. */
sealed interface Product permits PackedProduct, DotProduct {

    /**
     * {@code out = alpha * op(A)[:, k0:k1] * op(B)[k0:k1, :] + beta * out}, where {@code out} is {@code m x n}
     * from {@code out[outOffset]} with rows {@code ldo} apart and, when beta is 0, only written.
     */
    void run(int k0, int k1, float[] out, int outOffset, int ldo, float alpha, float beta);
}
