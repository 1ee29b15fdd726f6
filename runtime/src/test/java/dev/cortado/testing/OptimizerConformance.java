package dev.cortado.testing;

import static dev.cortado.testing.Tolerance.ELEMENTWISE;

import dev.cortado.backend.AdamStep;
import dev.cortado.backend.SgdStep;
import dev.cortado.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused SGD and Adam updates over several consecutive steps. Each step is compared with the reference applied
 * to the backend's own state before that step, so rounding does not compound across steps, and must leave the
 * gradient zero.
 */
public interface OptimizerConformance extends BackendTestContext {

    /** Consecutive updates per case. */
    int STEPS = 3;

    /** Sizes for the optimizers: a subset of the element-wise sizes, the largest included. */
    List<Integer> SIZES = List.of(1, 7, 257, 1009, 1_000_003);

    static Stream<Arguments> sgdCases() {
        List<SgdStep> steps = List.of(
                new SgdStep(0.1f, 0f, 0f, false),
                new SgdStep(0.01f, 0f, 5e-4f, false),
                new SgdStep(0.05f, 0.9f, 0f, false),
                new SgdStep(0.02f, 0.5f, 1e-3f, false),
                new SgdStep(0.05f, 0.9f, 1e-2f, true));
        return ConformanceCases.product(steps, SIZES);
    }

    /** Adam, Adam with an L2 penalty and AdamW; the step number is set per update. */
    static Stream<Arguments> adamCases() {
        List<AdamStep> steps = List.of(
                new AdamStep(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false, 1),
                new AdamStep(1e-2f, 0.8f, 0.99f, 1e-6f, 0.05f, false, 1),
                new AdamStep(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, true, 1));
        return ConformanceCases.product(steps, SIZES);
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("sgdCases")
    default void sgdUpdateMatchesReference(SgdStep step, int n) {
        Tensor param = tensor(values(n));
        Tensor velocity = step.momentum() == 0f ? null : tensor(values(n));
        for (int t = 1; t <= STEPS; t++) {
            float[] grad = values(n);
            float[] p = read(param);
            float[] v = velocity == null ? null : read(velocity);
            Tensor gradient = tensor(grad);
            backend().sgdUpdate(step, param, gradient, velocity);
            ReferenceOps.Updated expected = ReferenceOps.sgdUpdate(step, p, grad, v);
            assertClose("parameter after SGD step " + t, expected.param(), param, ELEMENTWISE);
            assertClose("gradient after SGD step " + t, new float[n], gradient, Tolerance.EXACT);
            if (velocity != null) {
                assertClose("velocity after SGD step " + t, expected.first(), velocity, ELEMENTWISE);
            }
        }
    }

    /** With momentum 0 a velocity tensor, when given, is neither read (it holds NaN) nor written. */
    @Test
    default void sgdWithoutMomentumIgnoresTheVelocity() {
        int n = 1009;
        SgdStep step = new SgdStep(0.1f, 0f, 1e-3f, false);
        float[] p = values(n);
        float[] grad = values(n);
        Tensor param = tensor(p);
        Tensor velocity = poisoned(n);
        backend().sgdUpdate(step, param, tensor(grad), velocity);
        assertClose("parameter", ReferenceOps.sgdUpdate(step, p, grad, null).param(), param, ELEMENTWISE);
        float[] untouched = new float[n];
        Arrays.fill(untouched, Float.NaN);
        assertClose("velocity", untouched, velocity, Tolerance.EXACT);
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("adamCases")
    default void adamUpdateMatchesReference(AdamStep first, int n) {
        Tensor param = tensor(values(n));
        Tensor m = tensor(values(n));
        Tensor v = tensor(values(n, 0f, 1f));
        for (long t = 1; t <= STEPS; t++) {
            AdamStep step = new AdamStep(first.lr(), first.beta1(), first.beta2(), first.eps(), first.weightDecay(),
                    first.decoupled(), t);
            float[] grad = values(n);
            float[] p0 = read(param);
            float[] m0 = read(m);
            float[] v0 = read(v);
            Tensor gradient = tensor(grad);
            backend().adamUpdate(step, param, gradient, m, v);
            ReferenceOps.Updated expected = ReferenceOps.adamUpdate(step, p0, grad, m0, v0);
            assertClose("parameter after step " + t, expected.param(), param, ELEMENTWISE);
            assertClose("gradient after step " + t, new float[n], gradient, Tolerance.EXACT);
            assertClose("first moment after step " + t, expected.first(), m, ELEMENTWISE);
            assertClose("second moment after step " + t, expected.second(), v, ELEMENTWISE);
        }
    }

    @Test
    default void optimizersRejectBadSizes() {
        SgdStep sgd = new SgdStep(0.1f, 0.9f, 0f, false);
        AdamStep adam = new AdamStep(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false, 1);
        Tensor ten = tensor(values(10));
        Tensor eleven = tensor(values(11));
        assertRejects("SGD with 11 gradients for 10 parameters",
                () -> backend().sgdUpdate(sgd, tensor(values(10)), eleven, tensor(values(10))));
        assertRejects("SGD with 11 velocities for 10 parameters",
                () -> backend().sgdUpdate(sgd, tensor(values(10)), ten, eleven));
        assertRejects("Adam with 11 gradients for 10 parameters",
                () -> backend().adamUpdate(adam, tensor(values(10)), eleven, tensor(values(10)), tensor(values(10))));
        assertRejects("Adam with 11 first moments for 10 parameters",
                () -> backend().adamUpdate(adam, tensor(values(10)), ten, eleven, tensor(values(10))));
        assertRejects("Adam with 11 second moments for 10 parameters",
                () -> backend().adamUpdate(adam, tensor(values(10)), ten, tensor(values(10)), eleven));
    }
}
