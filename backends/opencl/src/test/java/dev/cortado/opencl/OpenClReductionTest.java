package dev.cortado.opencl;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** sum, argmax and the fused softmax cross-entropy against plain Java. */
class OpenClReductionTest extends OpenClFixture {

    @ParameterizedTest(name = "outer={0} length={1} inner={2} beta={3}")
    @CsvSource({"1,1,1,0", "3,7,5,0", "2,1000,1,0", "1,4099,3,0.5", "5,13,1,0.5", "1,64,129,0", "4,0,3,0.5",
        "17,600,2,0"})
    void sumOverTheMiddleAxis(int outer, int length, int inner, float beta) {
        float[] x = randoms(outer * length * inner);
        float[] out = beta == 0f ? nans(outer * inner) : randoms(outer * inner);
        float alpha = 0.5f;
        float[] expected = new float[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double acc = 0;
                for (int l = 0; l < length; l++) {
                    acc += x[(o * length + l) * inner + i];
                }
                int at = o * inner + i;
                expected[at] = (float) (alpha * acc + (beta == 0f ? 0 : beta * out[at]));
            }
        }
        Tensor tout = tensor(Shape.of(out.length), out);
        backend.sum(tensor(Shape.of(x.length), x), outer, length, inner, alpha, beta, tout);
        assertClose(expected, tout.toArray(), 1e-5 * Math.sqrt(length + 1), "sum");
    }

    private static float[] nans(int n) {
        float[] v = new float[n];
        Arrays.fill(v, Float.NaN);
        return v;
    }

    @Test
    void sumRejectsAWrongOutputSize() {
        assertThrows(IllegalArgumentException.class, () -> backend.sum(backend.allocate(Shape.of(12)), 3, 2, 2, 1f,
                0f, backend.allocate(Shape.of(5))));
    }

    @Test
    void argmaxTakesTheFirstMaximum() {
        int rows = 37;
        int cols = 11;
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(5);
        }
        float[] expected = new float[rows];
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < cols; c++) {
                if (x[r * cols + c] > x[r * cols + best]) {
                    best = c;
                }
            }
            expected[r] = best;
        }
        Tensor out = poisoned(Shape.of(rows));
        backend.argmax(tensor(Shape.of(rows, cols), x), rows, cols, out);
        assertClose(expected, out.toArray(), 0, "argmax");
    }

    @ParameterizedTest(name = "rows={0} classes={1}")
    @CsvSource({"1,1", "1,10", "37,10", "5,1000"})
    void softmaxCrossEntropyForwardAndBackward(int rows, int cols) {
        float[] logits = randoms(rows * cols, -20f, 20f);
        float[] labels = new float[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = random.nextInt(cols);
        }
        float[] probs = new float[rows * cols];
        float[] loss = new float[rows];
        float scale = 1f / rows;
        float[] grad = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, logits[r * cols + c]);
            }
            double total = 0;
            for (int c = 0; c < cols; c++) {
                total += Math.exp(logits[r * cols + c] - max);
            }
            for (int c = 0; c < cols; c++) {
                int at = r * cols + c;
                probs[at] = (float) (Math.exp(logits[at] - max) / total);
                grad[at] = scale * (probs[at] - (c == (int) labels[r] ? 1 : 0));
            }
            loss[r] = (float) (Math.log(total) - (logits[r * cols + (int) labels[r]] - max));
        }
        Tensor tLogits = tensor(Shape.of(rows, cols), logits);
        Tensor tLabels = tensor(Shape.of(rows), labels);
        Tensor tProbs = poisoned(Shape.of(rows, cols));
        Tensor tLoss = poisoned(Shape.of(rows));
        backend.softmaxCrossEntropyForward(tLogits, tLabels, tProbs, tLoss);
        assertClose(probs, tProbs.toArray(), 1e-5, "softmax probabilities");
        assertClose(loss, tLoss.toArray(), 1e-5, "row loss");
        Tensor tGrad = poisoned(Shape.of(rows, cols));
        backend.softmaxCrossEntropyBackward(tProbs, tLabels, scale, tGrad);
        assertClose(grad, tGrad.toArray(), 1e-5, "dLogits");
    }

    @Test
    void aLabelOutsideTheClassesGivesNaN() {
        Tensor logits = tensor(Shape.of(2, 3), randoms(6));
        Tensor labels = tensor(Shape.of(2), new float[] {1, 3});
        Tensor probs = poisoned(Shape.of(2, 3));
        Tensor loss = poisoned(Shape.of(2));
        backend.softmaxCrossEntropyForward(logits, labels, probs, loss);
        float[] rowLoss = loss.toArray();
        assertTrue(Float.isFinite(rowLoss[0]), "a valid label gives a finite loss");
        assertTrue(Float.isNaN(rowLoss[1]), "label 3 of 3 classes gives NaN, got " + rowLoss[1]);
    }
}
