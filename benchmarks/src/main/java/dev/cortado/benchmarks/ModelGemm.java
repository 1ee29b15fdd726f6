package dev.cortado.benchmarks;

import dev.cortado.backend.GemmSpec;

/**
 * The matrix products of the built-in models at batch 64: the MLP 784-256-128-10 (forward {@code x * W^T},
 * weight gradient {@code dW += dy^T * x}, input gradient {@code dx = dy * W}) and LeNet-5's convolutions as one
 * im2col + GEMM over the batch (forward {@code W * col}, weight gradient {@code dW += dY * col^T}, column gradient
 * {@code dcol = W^T * dY}), the form the kernel backends use; the CPU backend multiplies a few images at a time.
 */
public enum ModelGemm {
    MLP_FC1_FORWARD(false, true, 64, 256, 784, 0f),
    MLP_FC2_FORWARD(false, true, 64, 128, 256, 0f),
    MLP_FC3_FORWARD(false, true, 64, 10, 128, 0f),
    MLP_FC1_WEIGHT_GRADIENT(true, false, 256, 784, 64, 1f),
    MLP_FC2_WEIGHT_GRADIENT(true, false, 128, 256, 64, 1f),
    MLP_FC3_WEIGHT_GRADIENT(true, false, 10, 128, 64, 1f),
    MLP_FC2_INPUT_GRADIENT(false, false, 64, 256, 128, 0f),
    MLP_FC3_INPUT_GRADIENT(false, false, 64, 128, 10, 0f),
    LENET_CONV1_FORWARD(false, false, 6, 50176, 25, 0f),
    LENET_CONV2_FORWARD(false, false, 16, 6400, 150, 0f),
    LENET_CONV1_WEIGHT_GRADIENT(false, true, 6, 25, 50176, 1f),
    LENET_CONV2_WEIGHT_GRADIENT(false, true, 16, 150, 6400, 1f),
    LENET_CONV1_COLUMN_GRADIENT(true, false, 25, 50176, 6, 0f),
    LENET_CONV2_COLUMN_GRADIENT(true, false, 150, 6400, 16, 0f);

    private final GemmSpec spec;

    ModelGemm(boolean transA, boolean transB, int m, int n, int k, float beta) {
        this.spec = GemmSpec.of(transA, transB, m, n, k).scaled(1f, beta);
    }

    public GemmSpec spec() {
        return spec;
    }
}
