package dev.cortado.testing;

import dev.cortado.backend.BatchNormSpec;
import dev.cortado.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Batch normalization in training, forward and backward, and in evaluation with given statistics, against the
 * definition in double precision; the forward ops also followed by ReLU (their {@code Relu} variants).
 */
public interface BatchNormConformance extends BackendTestContext {
    float EPSILON = 1e-5f;

    /**
     * (batch, channels, spatial): images, sequences, plain features, one image, and odd sizes; the last two have
     * more small planes than a backend may sum as one group (the CPU's: 1024 floats), the last group short.
     */
    static Stream<BatchNormSpec> batchNormSpecs() {
        return Stream.of(new BatchNormSpec(2, 1, 1), new BatchNormSpec(2, 3, 5), new BatchNormSpec(7, 13, 1),
                new BatchNormSpec(1, 4, 37), new BatchNormSpec(8, 5, 49), new BatchNormSpec(3, 64, 9),
                new BatchNormSpec(16, 16, 196), new BatchNormSpec(23, 3, 49), new BatchNormSpec(61, 2, 17));
    }

    /**
     * Values around 5 with a spread of 1: a variance small beside the squared mean, as after a ReLU. Each channel's
     * first two values are 4.25 and 5.75, so that no channel's variance comes near 0 by chance: with two values
     * a channel, two random ones a few thousandths apart would leave {@code x - mean} to float rounding.
     */
    private float[] input(BatchNormSpec s) {
        float[] x = values(Math.toIntExact(s.size()), 4f, 6f);
        for (int c = 0; c < s.channels(); c++) {
            x[channelIndex(s, c, 0)] = 4.25f;
            x[channelIndex(s, c, 1)] = 5.75f;
        }
        return x;
    }

    /** Where value i of channel c lies in an NCHW (or NCL, NC) tensor, i counting over the batch and positions. */
    private static int channelIndex(BatchNormSpec s, int c, int i) {
        int n = i / s.spatial();
        return (n * s.channels() + c) * s.spatial() + i % s.spatial();
    }

    private static Tolerance tolerance(BatchNormSpec s) {
        return Tolerance.accumulating(s.perChannel());
    }

    /** Every spec without and with the ReLU after the normalization. */
    static Stream<Arguments> batchNormForwardCases() {
        return batchNormSpecs().flatMap(s -> Stream.of(Arguments.of(s, false), Arguments.of(s, true)));
    }

    /** {@code max(0, v)} of each value where {@code relu}, else the values. */
    private static float[] reluIf(boolean relu, float[] values) {
        float[] out = values.clone();
        for (int i = 0; relu && i < out.length; i++) {
            out[i] = Math.max(0f, out[i]);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}, ReLU {1}")
    @MethodSource("batchNormForwardCases")
    default void batchNormForwardMatchesTheDefinition(BatchNormSpec s, boolean relu) {
        float[] x = input(s);
        float[] weight = values(s.channels());
        float[] bias = values(s.channels());
        Tensor y = poisoned(Math.toIntExact(s.size()));
        Tensor mean = poisoned(s.channels());
        Tensor variance = poisoned(s.channels());
        if (relu) {
            backend().batchNormReluForward(s, EPSILON, tensor(x), tensor(weight), tensor(bias), y, mean, variance);
        } else {
            backend().batchNormForward(s, EPSILON, tensor(x), tensor(weight), tensor(bias), y, mean, variance);
        }
        float[][] expected = ReferenceOps.batchNormForward(s, EPSILON, x, weight, bias);
        assertClose("batchNormForward y " + s + ", ReLU " + relu, reluIf(relu, expected[0]), y, tolerance(s));
        assertClose("batchNormForward mean " + s, expected[1], mean, tolerance(s));
        assertClose("batchNormForward variance " + s, expected[2], variance, tolerance(s));
    }

    @ParameterizedTest(name = "{0}, ReLU {1}")
    @MethodSource("batchNormForwardCases")
    default void batchNormInferenceMatchesTheDefinition(BatchNormSpec s, boolean relu) {
        float[] x = input(s);
        float[] mean = values(s.channels(), 4.5f, 5.5f);
        float[] variance = values(s.channels(), 0.25f, 4f);
        float[] weight = values(s.channels());
        float[] bias = values(s.channels());
        Tensor y = poisoned(Math.toIntExact(s.size()));
        if (relu) {
            backend().batchNormReluInference(s, EPSILON, tensor(x), tensor(mean), tensor(variance), tensor(weight),
                    tensor(bias), y);
        } else {
            backend().batchNormInference(s, EPSILON, tensor(x), tensor(mean), tensor(variance), tensor(weight),
                    tensor(bias), y);
        }
        assertClose("batchNormInference " + s + ", ReLU " + relu, reluIf(relu, ReferenceOps.batchNormInference(s,
                EPSILON, x, mean, variance, weight, bias)), y, tolerance(s));
    }

    /** Every spec with and without an input gradient. */
    static Stream<Arguments> batchNormBackwardCases() {
        return batchNormSpecs().flatMap(s -> Stream.of(Arguments.of(s, true), Arguments.of(s, false)));
    }

    @ParameterizedTest(name = "{0}, input gradient {1}")
    @MethodSource("batchNormBackwardCases")
    default void batchNormBackwardAddsTheParameterGradientsAndWritesTheInputGradient(BatchNormSpec s,
                                                                                      boolean inputGradient) {
        float[] x = input(s);
        float[] mean = values(s.channels(), 4.5f, 5.5f);
        float[] invStd = values(s.channels(), 0.5f, 2f);
        float[] weight = values(s.channels());
        float[] dy = values(Math.toIntExact(s.size()));
        float[] oldWeightGrad = values(s.channels());
        float[] oldBiasGrad = values(s.channels());
        Tensor dWeight = tensor(oldWeightGrad);
        Tensor dBias = tensor(oldBiasGrad);
        Tensor dx = inputGradient ? poisoned(Math.toIntExact(s.size())) : null;
        backend().batchNormBackward(s, tensor(x), tensor(mean), tensor(invStd), tensor(weight), tensor(dy), dWeight,
                dBias, dx);
        float[][] expected = ReferenceOps.batchNormBackward(s, x, mean, invStd, weight, dy);
        assertClose("batchNormBackward dWeight " + s, plus(expected[0], oldWeightGrad), dWeight, tolerance(s));
        assertClose("batchNormBackward dBias " + s, plus(expected[1], oldBiasGrad), dBias, tolerance(s));
        if (inputGradient) {
            assertClose("batchNormBackward dx " + s, expected[2], dx, tolerance(s));
        }
    }

    private static float[] plus(float[] a, float[] b) {
        float[] sum = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            sum[i] = a[i] + b[i];
        }
        return sum;
    }

    @Test
    default void batchNormOpsRejectBadSizes() {
        BatchNormSpec s = new BatchNormSpec(2, 3, 5);
        Tensor x = tensor(input(s));
        Tensor perChannel = tensor(values(3));
        assertRejects("batchNormForward into one float too few", () -> backend().batchNormForward(s, EPSILON, x,
                perChannel, perChannel, poisoned(29), poisoned(3), poisoned(3)));
        assertRejects("batchNormForward with a weight of 4", () -> backend().batchNormForward(s, EPSILON, x,
                tensor(values(4)), perChannel, poisoned(30), poisoned(3), poisoned(3)));
        assertRejects("batchNormForward with epsilon 0", () -> backend().batchNormForward(s, 0f, x, perChannel,
                perChannel, poisoned(30), poisoned(3), poisoned(3)));
        assertRejects("batchNormInference into one float too few", () -> backend().batchNormInference(s, EPSILON,
                x, perChannel, perChannel, perChannel, perChannel, poisoned(29)));
        assertRejects("batchNormInference with a variance of 4", () -> backend().batchNormInference(s, EPSILON, x,
                perChannel, tensor(values(4)), perChannel, perChannel, poisoned(30)));
        assertRejects("batchNormInference with epsilon -1", () -> backend().batchNormInference(s, -1f, x,
                perChannel, perChannel, perChannel, perChannel, poisoned(30)));
        assertRejects("batchNormReluForward with a bias of 2", () -> backend().batchNormReluForward(s, EPSILON, x,
                perChannel, tensor(values(2)), poisoned(30), poisoned(3), poisoned(3)));
        assertRejects("batchNormReluInference into one float too many", () -> backend().batchNormReluInference(s,
                EPSILON, x, perChannel, perChannel, perChannel, perChannel, poisoned(31)));
        assertRejects("batchNormBackward from a dy of 31", () -> backend().batchNormBackward(s, x, perChannel,
                perChannel, perChannel, tensor(values(31)), tensor(values(3)), tensor(values(3)), poisoned(30)));
        assertRejects("batchNormBackward into a dBias of 2", () -> backend().batchNormBackward(s, x, perChannel,
                perChannel, perChannel, tensor(values(30)), tensor(values(3)), tensor(values(2)), null));
    }
}
