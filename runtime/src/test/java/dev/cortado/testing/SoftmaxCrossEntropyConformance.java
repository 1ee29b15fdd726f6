package dev.cortado.testing;

import static dev.cortado.testing.Tolerance.ELEMENTWISE;

import dev.cortado.tensor.Tensor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The fused softmax cross-entropy, forward and backward, without and with label smoothing. */
public interface SoftmaxCrossEntropyConformance extends BackendTestContext {

    /** Logits this far from 0 overflow a naive {@code exp}; a stable softmax subtracts the row maximum first. */
    float EXTREME_OFFSET = 1000f;

    /** Label smoothing: none, a usual value, and the whole target spread evenly. */
    List<Float> SMOOTHINGS = List.of(0f, 0.1f, 1f);

    /** (rows, classes, extreme, smoothing): extreme rows are shifted by +1000 or -1000. */
    static Stream<Arguments> forwardCases() {
        List<int[]> shapes = List.of(new int[] {1, 1}, new int[] {7, 1}, new int[] {1, 10}, new int[] {13, 10},
                new int[] {257, 10}, new int[] {31, 97}, new int[] {5, 1009});
        return ConformanceCases.product(shapes, List.of(false, true), SMOOTHINGS);
    }

    /** (rows, classes, scale, smoothing). */
    static Stream<Arguments> backwardCases() {
        List<float[]> shapes = List.of(new float[] {1, 1, 1f}, new float[] {7, 1, 0.5f},
                new float[] {13, 10, 1f / 13}, new float[] {257, 10, -0.75f}, new float[] {31, 97, 2f},
                new float[] {5, 1009, 0.2f});
        return ConformanceCases.product(shapes, SMOOTHINGS);
    }

    private float[] labels(int rows, int classes) {
        float[] labels = new float[rows];
        for (int n = 0; n < rows; n++) {
            labels[n] = random().nextInt(classes);
        }
        return labels;
    }

    @ParameterizedTest(name = "rows={0} classes={1} extreme={2} smoothing={3}")
    @MethodSource("forwardCases")
    default void softmaxCrossEntropyForwardMatchesReference(int rows, int classes, boolean extreme,
                                                            float smoothing) {
        float[] logits = values(rows * classes, -3f, 3f);
        if (extreme) {
            for (int i = 0; i < logits.length; i++) {
                logits[i] += (i / classes) % 2 == 0 ? EXTREME_OFFSET : -EXTREME_OFFSET;
            }
        }
        float[] labels = labels(rows, classes);
        Tensor probs = poisoned(rows, classes);
        Tensor rowLoss = poisoned(rows);
        backend().softmaxCrossEntropyForward(tensor(logits, rows, classes), tensor(labels), smoothing, probs, rowLoss);
        ReferenceOps.SoftmaxCrossEntropy expected = ReferenceOps.softmaxCrossEntropyForward(logits, labels, smoothing,
                classes);
        // A backend may form log-sum-exp at the logits' magnitude (max + log(sum)), where one rounding costs an ulp
        // of about 1000: allow a few of those on top of the element-wise tolerance.
        double ulps = 4 * Math.ulp(extreme ? EXTREME_OFFSET + 3f : 3f);
        Tolerance tolerance = new Tolerance(ELEMENTWISE.absolute() + ulps, ELEMENTWISE.relative() + ulps);
        assertClose("softmax probabilities", expected.probs(), probs, tolerance);
        assertClose("cross-entropy per row", expected.rowLoss(), rowLoss, tolerance);
    }

    @ParameterizedTest(name = "rows={0} classes={1} scale={2} smoothing={3}")
    @MethodSource("backwardCases")
    default void softmaxCrossEntropyBackwardMatchesReference(float rowCount, float classCount, float scale,
                                                             float smoothing) {
        int rows = (int) rowCount;
        int classes = (int) classCount;
        float[] labels = labels(rows, classes);
        float[] probs = ReferenceOps.softmaxCrossEntropyForward(values(rows * classes, -3f, 3f), labels, classes)
                .probs();
        Tensor dLogits = poisoned(rows, classes);
        backend().softmaxCrossEntropyBackward(tensor(probs, rows, classes), tensor(labels), smoothing, scale,
                dLogits);
        assertClose("softmax cross-entropy gradient",
                ReferenceOps.softmaxCrossEntropyBackward(probs, labels, smoothing, scale, classes), dLogits,
                ELEMENTWISE);
    }

    /** Without smoothing, the four-argument forms and smoothing 0 are the same op, bit for bit. */
    @Test
    default void softmaxCrossEntropyWithoutSmoothingIsSmoothingZero() {
        int rows = 13;
        int classes = 10;
        Tensor logits = tensor(values(rows * classes, -3f, 3f), rows, classes);
        Tensor labels = tensor(labels(rows, classes));
        Tensor probs = poisoned(rows, classes);
        Tensor rowLoss = poisoned(rows);
        Tensor zeroProbs = poisoned(rows, classes);
        Tensor zeroLoss = poisoned(rows);
        backend().softmaxCrossEntropyForward(logits, labels, probs, rowLoss);
        backend().softmaxCrossEntropyForward(logits, labels, 0f, zeroProbs, zeroLoss);
        assertClose("probabilities", probs.toArray(), zeroProbs, Tolerance.EXACT);
        assertClose("row losses", rowLoss.toArray(), zeroLoss, Tolerance.EXACT);
        Tensor gradient = poisoned(rows, classes);
        Tensor zeroGradient = poisoned(rows, classes);
        backend().softmaxCrossEntropyBackward(probs, labels, 0.5f, gradient);
        backend().softmaxCrossEntropyBackward(probs, labels, 0f, 0.5f, zeroGradient);
        assertClose("gradient", gradient.toArray(), zeroGradient, Tolerance.EXACT);
    }

    @Test
    default void softmaxCrossEntropyRejectsBadSizes() {
        Tensor logits = tensor(values(30), 3, 10);
        Tensor labels = tensor(new float[] {0, 9, 4});
        assertRejects("forward with probs of 29 floats",
                () -> backend().softmaxCrossEntropyForward(logits, labels, poisoned(29), poisoned(3)));
        assertRejects("forward with 2 row losses for 3 rows",
                () -> backend().softmaxCrossEntropyForward(logits, labels, poisoned(3, 10), poisoned(2)));
        assertRejects("forward with 4 labels for 3 rows", () -> backend().softmaxCrossEntropyForward(logits,
                tensor(new float[] {0, 1, 2, 3}), poisoned(3, 10), poisoned(3)));
        assertRejects("backward with a gradient of 31 floats",
                () -> backend().softmaxCrossEntropyBackward(logits, labels, 1f, poisoned(31)));
        for (float smoothing : new float[] {-0.1f, 1.5f, Float.NaN}) {
            assertRejects("forward with label smoothing " + smoothing, () -> backend().softmaxCrossEntropyForward(
                    logits, labels, smoothing, poisoned(3, 10), poisoned(3)));
            assertRejects("backward with label smoothing " + smoothing, () -> backend().softmaxCrossEntropyBackward(
                    logits, labels, smoothing, 1f, poisoned(3, 10)));
        }
    }
}
