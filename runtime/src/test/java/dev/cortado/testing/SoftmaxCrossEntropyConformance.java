package dev.cortado.testing;

import static dev.cortado.testing.Tolerance.ELEMENTWISE;

import dev.cortado.tensor.Tensor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The fused softmax cross-entropy, forward and backward. */
public interface SoftmaxCrossEntropyConformance extends BackendTestContext {

    /** Logits this far from 0 overflow a naive {@code exp}; a stable softmax subtracts the row maximum first. */
    float EXTREME_OFFSET = 1000f;

    /** (rows, classes, extreme): extreme rows are shifted by +1000 or -1000. */
    static Stream<Arguments> forwardCases() {
        List<int[]> shapes = List.of(new int[] {1, 1}, new int[] {7, 1}, new int[] {1, 10}, new int[] {13, 10},
                new int[] {257, 10}, new int[] {31, 97}, new int[] {5, 1009});
        return ConformanceCases.product(shapes, List.of(false, true));
    }

    /** (rows, classes, scale). */
    static Stream<Arguments> backwardCases() {
        return Stream.of(
                Arguments.of(1, 1, 1f), Arguments.of(7, 1, 0.5f), Arguments.of(13, 10, 1f / 13),
                Arguments.of(257, 10, -0.75f), Arguments.of(31, 97, 2f), Arguments.of(5, 1009, 0.2f));
    }

    private float[] labels(int rows, int classes) {
        float[] labels = new float[rows];
        for (int n = 0; n < rows; n++) {
            labels[n] = random().nextInt(classes);
        }
        return labels;
    }

    @ParameterizedTest(name = "rows={0} classes={1} extreme={2}")
    @MethodSource("forwardCases")
    default void softmaxCrossEntropyForwardMatchesReference(int rows, int classes, boolean extreme) {
        float[] logits = values(rows * classes, -3f, 3f);
        if (extreme) {
            for (int i = 0; i < logits.length; i++) {
                logits[i] += (i / classes) % 2 == 0 ? EXTREME_OFFSET : -EXTREME_OFFSET;
            }
        }
        float[] labels = labels(rows, classes);
        Tensor probs = poisoned(rows, classes);
        Tensor rowLoss = poisoned(rows);
        backend().softmaxCrossEntropyForward(tensor(logits, rows, classes), tensor(labels), probs, rowLoss);
        ReferenceOps.SoftmaxCrossEntropy expected = ReferenceOps.softmaxCrossEntropyForward(logits, labels, classes);
        // A backend may form log-sum-exp at the logits' magnitude (max + log(sum)), where one rounding costs an ulp
        // of about 1000: allow a few of those on top of the element-wise tolerance.
        double ulps = 4 * Math.ulp(extreme ? EXTREME_OFFSET + 3f : 3f);
        Tolerance tolerance = new Tolerance(ELEMENTWISE.absolute() + ulps, ELEMENTWISE.relative() + ulps);
        assertClose("softmax probabilities", expected.probs(), probs, tolerance);
        assertClose("cross-entropy per row", expected.rowLoss(), rowLoss, tolerance);
    }

    @ParameterizedTest(name = "rows={0} classes={1} scale={2}")
    @MethodSource("backwardCases")
    default void softmaxCrossEntropyBackwardMatchesReference(int rows, int classes, float scale) {
        float[] labels = labels(rows, classes);
        float[] probs = ReferenceOps.softmaxCrossEntropyForward(values(rows * classes, -3f, 3f), labels, classes)
                .probs();
        Tensor dLogits = poisoned(rows, classes);
        backend().softmaxCrossEntropyBackward(tensor(probs, rows, classes), tensor(labels), scale, dLogits);
        assertClose("softmax cross-entropy gradient",
                ReferenceOps.softmaxCrossEntropyBackward(probs, labels, scale, classes), dLogits, ELEMENTWISE);
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
    }
}
