package dev.cortado.cpu.gemm;

import dev.cortado.backend.GemmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The products the built-in models run at batch 64, on every kernel. */
class ModelShapesTest {

    /** transA, transB, m, n, k, beta (1 where a gradient accumulates), what it is. */
    private static final Object[][] SHAPES = {
        {false, true, 64, 256, 784, 0f, "MLP fc1 forward x * W^T"},
        {false, true, 64, 128, 256, 0f, "MLP fc2 forward"},
        {false, true, 64, 10, 128, 0f, "MLP fc3 forward"},
        {true, false, 256, 784, 64, 1f, "MLP fc1 weight gradient dW += dy^T * x"},
        {true, false, 10, 128, 64, 1f, "MLP fc3 weight gradient"},
        {false, false, 64, 784, 256, 0f, "MLP fc1 input gradient dx = dy * W"},
        {false, false, 6, 50176, 25, 0f, "LeNet conv1 forward W * col"},
        {false, false, 16, 6400, 150, 0f, "LeNet conv2 forward"},
        {false, true, 6, 25, 50176, 1f, "LeNet conv1 weight gradient dW += dY * col^T"},
        {false, true, 16, 150, 6400, 1f, "LeNet conv2 weight gradient"},
        {true, false, 25, 50176, 6, 0f, "LeNet conv1 column gradient dcol = W^T * dY"},
        {true, false, 150, 6400, 16, 0f, "LeNet conv2 column gradient"},
    };

    static Stream<Arguments> shapesByKernel() {
        List<Arguments> cases = new ArrayList<>();
        for (String kernel : Kernels.ALL) {
            for (Object[] shape : SHAPES) {
                cases.add(Arguments.of(kernel, shape[6], shape[0], shape[1], shape[2], shape[3], shape[4], shape[5]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1} ({4}x{5}x{6})")
    @MethodSource("shapesByKernel")
    void matchesTheReference(String kernel, String what, boolean transA, boolean transB, int m, int n, int k,
                             float beta) {
        GemmCase gemm = new GemmCase(GemmSpec.of(transA, transB, m, n, k).scaled(1f, beta), m * 7L + n + k);
        gemm.runOn(Kernels.gemm(kernel));
        gemm.check(kernel + " " + what);
    }
}
