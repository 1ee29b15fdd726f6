package dev.cortado.cpu;

import dev.cortado.backend.Activation;
import dev.cortado.backend.SgdStep;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.Arrays;

/**
 * Run by {@link FloatLoopsTest} in a JVM on one core and without {@code --add-modules jdk.incubator.vector}:
 * prints the loops and thread count the backend chose, opens it twice (it warns once that the module is missing),
 * and checks ops that run through {@link FloatLoops} and {@link Parallel} on tensors large enough to be split into
 * chunks. No Vector API class may be loaded.
 */
public final class PlainJvm {
    static final String CORRECT = "ops correct";

    private PlainJvm() {
    }

    public static void main(String[] args) {
        System.out.println("element-wise loops: " + FloatLoops.IN_USE.describe());
        System.out.println("threads: " + Parallel.threads());
        System.out.println("vector api: " + CpuBackend.describe().details().get("vector api"));
        new CpuBackend().close();
        int n = 200_003;
        float[] x = new float[n];
        float[] relu = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (i % 7) - 3.5f;
            relu[i] = Math.max(x[i], 0f);
        }
        try (CpuBackend backend = new CpuBackend()) {
            Tensor in = backend.upload(Shape.of(n), x);
            Tensor out = backend.allocate(Shape.of(n));
            backend.activationForward(Activation.RELU, 0f, in, out);
            boolean reluCorrect = Arrays.equals(relu, out.toArray());
            Tensor velocity = backend.allocate(Shape.of(n));
            backend.fill(velocity, 0f);
            backend.sgdUpdate(new SgdStep(0.5f, 0.9f, 0f, false), out, in, velocity);
            float[] updated = out.toArray();
            boolean sgdCorrect = true;
            for (int i = 0; i < n; i++) {
                sgdCorrect &= updated[i] == relu[i] - 0.5f * x[i];
            }
            System.out.println(reluCorrect && sgdCorrect ? CORRECT
                    : "ops wrong: relu " + reluCorrect + ", sgd " + sgdCorrect);
        }
    }
}
