package dev.cortado.testing;

import static dev.cortado.testing.Tolerance.ELEMENTWISE;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.Activation;
import dev.cortado.backend.BinaryOp;
import dev.cortado.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Activation functions, forward and backward, including in place, and a sum with its ReLU. */
public interface ActivationConformance extends BackendTestContext {

    /** The negative slope passed with every activation; only LEAKY_RELU uses it. */
    float ALPHA = 0.1f;

    static Stream<Arguments> activationCases() {
        return ConformanceCases.withElementwiseSizes((Object[]) Activation.values());
    }

    /** Inputs in [-3, 3) that are never within 1e-3 of 0, where RELU and LEAKY_RELU have their kink. */
    private float[] inputs(int n) {
        return values(n, -3f, 3f);
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("activationCases")
    default void activationForwardMatchesReference(Activation f, int n) {
        float[] x = inputs(n);
        Tensor y = poisoned(n);
        backend().activationForward(f, ALPHA, tensor(x), y);
        assertClose(f + " forward", ReferenceOps.activationForward(f, ALPHA, x), y, ELEMENTWISE);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    default void activationForwardMayWriteInPlace(Activation f) {
        float[] x = inputs(ElementwiseConformance.IN_PLACE_SIZE);
        Tensor t = tensor(x);
        backend().activationForward(f, ALPHA, t, t);
        assertClose(f + " forward in place", ReferenceOps.activationForward(f, ALPHA, x), t, ELEMENTWISE);
    }

    /** x and y = f(x) are both given, as the op allows backends to read either. */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("activationCases")
    default void activationBackwardMatchesReference(Activation f, int n) {
        float[] x = inputs(n);
        float[] y = ReferenceOps.activationForward(f, ALPHA, x);
        float[] dy = values(n);
        Tensor dx = poisoned(n);
        backend().activationBackward(f, ALPHA, tensor(x), tensor(y), tensor(dy), dx);
        assertClose(f + " backward", ReferenceOps.activationBackward(f, ALPHA, x, y, dy), dx, ELEMENTWISE);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    default void activationBackwardMayWriteIntoDy(Activation f) {
        int n = ElementwiseConformance.IN_PLACE_SIZE;
        float[] x = inputs(n);
        float[] y = ReferenceOps.activationForward(f, ALPHA, x);
        float[] dy = values(n);
        Tensor gradient = tensor(dy);
        backend().activationBackward(f, ALPHA, tensor(x), tensor(y), gradient, gradient);
        assertClose(f + " backward into dy", ReferenceOps.activationBackward(f, ALPHA, x, y, dy), gradient,
                ELEMENTWISE);
    }

    /** A diverging run must show a NaN loss: every activation passes NaN through, as PyTorch's do. */
    @ParameterizedTest
    @EnumSource(Activation.class)
    default void activationForwardPassesNanThrough(Activation f) {
        float[] x = {Float.NaN, -1.5f, 2f};
        Tensor y = poisoned(x.length);
        backend().activationForward(f, ALPHA, tensor(x), y);
        float[] actual = y.toArray();
        assertTrue(Float.isNaN(actual[0]), () -> f + " of NaN gave " + actual[0]);
        assertClose(f + " forward next to a NaN", new float[] {ReferenceOps.activationForward(f, ALPHA, x)[1],
                ReferenceOps.activationForward(f, ALPHA, x)[2]}, new float[] {actual[1], actual[2]}, ELEMENTWISE);
    }

    /** {@code max(a + b, 0)}, as ReLU of the sum: into a fresh tensor, into a and into b. */
    @ParameterizedTest(name = "n={0}")
    @MethodSource("dev.cortado.testing.ConformanceCases#elementwiseSizes")
    default void addReluClampsTheSum(int n) {
        float[] a = inputs(n);
        float[] b = inputs(n);
        float[] sum = ReferenceOps.zip(BinaryOp.ADD, a, b, 1);
        float[] expected = ReferenceOps.activationForward(Activation.RELU, 0f, sum);
        Tensor out = poisoned(n);
        backend().addRelu(tensor(a), tensor(b), out);
        assertClose("addRelu", expected, out, ELEMENTWISE);
        Tensor intoA = tensor(a);
        backend().addRelu(intoA, tensor(b), intoA);
        assertClose("addRelu into a", expected, intoA, ELEMENTWISE);
        Tensor intoB = tensor(b);
        backend().addRelu(tensor(a), intoB, intoB);
        assertClose("addRelu into b", expected, intoB, ELEMENTWISE);
    }

    /** A NaN in either addend stays NaN, as ReLU passes it through. */
    @Test
    default void addReluPassesNanThrough() {
        Tensor out = poisoned(3);
        backend().addRelu(tensor(new float[] {Float.NaN, -1.5f, 2f}), tensor(new float[] {1f, Float.NaN, -0.5f}),
                out);
        float[] actual = out.toArray();
        assertTrue(Float.isNaN(actual[0]) && Float.isNaN(actual[1]), () -> "addRelu of NaN gave " + actual[0]
                + " and " + actual[1]);
        assertClose("addRelu next to a NaN", new float[] {1.5f}, new float[] {actual[2]}, ELEMENTWISE);
    }

    @Test
    default void activationsRejectBadSizes() {
        Tensor ten = tensor(values(10));
        assertRejects("forward from 10 floats into 11",
                () -> backend().activationForward(Activation.RELU, ALPHA, ten, poisoned(11)));
        assertRejects("backward with dy of 11 floats for 10",
                () -> backend().activationBackward(Activation.TANH, ALPHA, ten, ten, tensor(values(11)),
                        poisoned(10)));
        assertRejects("backward into 9 floats for 10",
                () -> backend().activationBackward(Activation.SIGMOID, ALPHA, ten, ten, ten, poisoned(9)));
        assertRejects("addRelu of 10 floats and 11", () -> backend().addRelu(ten, tensor(values(11)), poisoned(10)));
        assertRejects("addRelu of 10 floats into 11", () -> backend().addRelu(ten, ten, poisoned(11)));
    }
}
