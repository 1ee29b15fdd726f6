package dev.cortado.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.PoolStats;
import dev.cortado.backend.TransferStats;
import dev.cortado.model.ModelSpec;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.Mode;
import dev.cortado.nn.Parameter;
import dev.cortado.nn.Sequential;
import dev.cortado.nn.ShapeMismatchException;
import dev.cortado.nn.layers.ActivationLayer;
import dev.cortado.nn.layers.AvgPool2d;
import dev.cortado.nn.layers.BatchNorm;
import dev.cortado.nn.layers.Conv2d;
import dev.cortado.nn.layers.Dropout;
import dev.cortado.nn.layers.Flatten;
import dev.cortado.nn.layers.GlobalAvgPool;
import dev.cortado.nn.layers.Linear;
import dev.cortado.nn.layers.MaxPool2d;
import dev.cortado.nn.layers.Residual;
import dev.cortado.nn.loss.Loss;
import dev.cortado.nn.loss.MseLoss;
import dev.cortado.nn.loss.SoftmaxCrossEntropyLoss;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the layers, losses and built models compute in their forward passes, checked against plain host code, and
 * how they fail: shape errors, backward without forward. Also that a training step in steady state allocates
 * nothing. Gradients are checked by {@link GradientCheckSuite}.
 */
public abstract class LayerSuite extends BackendSuiteSupport {
    /** 1e-5 of an expected value, and 1e-5 near zero. */
    private static final Tolerance CLOSE = new Tolerance(1e-5, 1e-5);
    private static final Tolerance TIGHT = new Tolerance(1e-6, 1e-6);

    private Tensor upload(Shape shape, float[] values) {
        return backend().upload(shape, values);
    }

    // ---- forward values ---------------------------------------------------------------------------------------

    @Test
    void linearComputesXWTransposedPlusBias() {
        int n = 3;
        int in = 7;
        int out = 5;
        float[] x = values(n * in, -1, 1);
        try (Linear layer = new Linear(backend(), new Initializer(1), in, out);
             Tensor input = upload(Shape.of(n, in), x)) {
            float[] w = layer.parameters().get(0).value().toArray();
            float[] b = layer.parameters().get(1).value().toArray();
            float bound = (float) (1 / Math.sqrt(in));
            for (float v : w) {
                assertTrue(Math.abs(v) <= bound, "weight " + v + " outside +-1/sqrt(in)");
            }
            float[] expected = new float[n * out];
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < out; o++) {
                    double s = b[o];
                    for (int k = 0; k < in; k++) {
                        s += (double) x[i * in + k] * w[o * in + k];
                    }
                    expected[i * out + o] = (float) s;
                }
            }
            Tensor y = layer.forward(input, Mode.EVAL);
            assertEquals(Shape.of(n, out), y.shape());
            assertClose("Linear output", expected, y.toArray(), CLOSE);
        }
    }

    @ParameterizedTest(name = "stride {0}, padding {1}, dilation {2}, {3} -> {4} channels in {5} groups")
    @MethodSource("convolutions")
    void conv2dMatchesDirectConvolution(int stride, int padding, int dilation, int c, int outC, int groups) {
        int n = 2;
        int h = 9;
        int w = 8;
        int kh = 3;
        int kw = 2;
        int groupIn = c / groups;
        int groupOut = outC / groups;
        float[] x = values(n * c * h * w, -1, 1);
        try (Conv2d layer = new Conv2d(backend(), new Initializer(2), c, outC, kh, kw, stride, padding, dilation,
                groups, true); Tensor input = upload(Shape.of(n, c, h, w), x)) {
            float[] weight = layer.parameters().get(0).value().toArray();
            float[] bias = layer.parameters().get(1).value().toArray();
            Tensor y = layer.forward(input, Mode.EVAL);
            int oh = (h + 2 * padding - dilation * (kh - 1) - 1) / stride + 1;
            int ow = (w + 2 * padding - dilation * (kw - 1) - 1) / stride + 1;
            assertEquals(Shape.of(n, outC, oh, ow), y.shape());
            float[] expected = new float[n * outC * oh * ow];
            for (int b = 0; b < n; b++) {
                for (int o = 0; o < outC; o++) {
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            double s = bias[o];
                            for (int gi = 0; gi < groupIn; gi++) {
                                int ci = o / groupOut * groupIn + gi;
                                for (int i = 0; i < kh; i++) {
                                    for (int j = 0; j < kw; j++) {
                                        int iy = oy * stride - padding + i * dilation;
                                        int ix = ox * stride - padding + j * dilation;
                                        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                            s += (double) weight[((o * groupIn + gi) * kh + i) * kw + j]
                                                    * x[((b * c + ci) * h + iy) * w + ix];
                                        }
                                    }
                                }
                            }
                            expected[((b * outC + o) * oh + oy) * ow + ox] = (float) s;
                        }
                    }
                }
            }
            assertClose("Conv2d output", expected, y.toArray(), CLOSE);
        }
    }

    /** (stride, padding, dilation, in, out, groups): plain, then two groups, then depthwise with 2 per channel. */
    static Stream<Arguments> convolutions() {
        return Stream.of(Arguments.of(1, 0, 1, 3, 5, 1), Arguments.of(2, 1, 2, 3, 5, 1), Arguments.of(3, 2, 1, 3, 5, 1),
                Arguments.of(1, 1, 1, 4, 6, 2), Arguments.of(2, 1, 2, 3, 6, 3));
    }

    @Test
    void globalAvgPoolIsTheMeanOfEachPlane() {
        Shape shape = Shape.of(2, 3, 5, 7);
        float[] x = values(2 * 3 * 35, -1, 1);
        try (GlobalAvgPool layer = new GlobalAvgPool(); Tensor input = upload(shape, x)) {
            float[] expected = new float[6];
            for (int plane = 0; plane < 6; plane++) {
                double sum = 0;
                for (int i = 0; i < 35; i++) {
                    sum += x[plane * 35 + i];
                }
                expected[plane] = (float) (sum / 35);
            }
            Tensor y = layer.forward(input, Mode.TRAIN);
            assertEquals(Shape.of(2, 3), y.shape());
            assertClose("GlobalAvgPool output", expected, y.toArray(), CLOSE);
            float[] dy = values(6, -1, 1);
            try (Tensor gradient = upload(Shape.of(2, 3), dy)) {
                float[] dx = layer.backward(gradient, true).toArray();
                for (int i = 0; i < dx.length; i++) {
                    assertEquals(dy[i / 35] / 35, dx[i], 1e-7, "gradient " + i);
                }
            }
        }
    }

    /** {@code relu(main(x) + shortcut(x))}, with the shortcut the identity or a strided 1x1 convolution. */
    @ParameterizedTest(name = "projection shortcut: {0}")
    @ValueSource(booleans = {false, true})
    void residualAddsItsBranchesThenActivates(boolean projection) {
        int stride = projection ? 2 : 1;
        Shape shape = Shape.of(2, 3, 7, 6);
        float[] x = values(Math.toIntExact(shape.size()), -1, 1);
        Conv2d mainConv = new Conv2d(backend(), new Initializer(3), 3, projection ? 4 : 3, 3, 3, stride, 1, 1, true);
        Conv2d shortcutConv = projection
                ? new Conv2d(backend(), new Initializer(4), 3, 4, 1, 1, stride, 0, 1, false) : null;
        try (Residual block = new Residual(new Sequential(List.of(mainConv)),
                projection ? new Sequential(List.of(shortcutConv)) : null, ActivationLayer.relu());
             Tensor input = upload(shape, x)) {
            float[] y = block.forward(input, Mode.EVAL).toArray();
            float[] fromMain = mainConv.forward(input, Mode.EVAL).toArray();
            float[] fromShortcut = projection ? shortcutConv.forward(input, Mode.EVAL).toArray() : x;
            float[] expected = new float[fromMain.length];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = Math.max(0f, fromMain[i] + fromShortcut[i]);
            }
            assertEquals(block.outputShape(shape), Shape.of(2, projection ? 4 : 3, projection ? 4 : 7,
                    projection ? 3 : 6));
            assertClose("Residual output", expected, y, TIGHT);
            List<String> names = block.parameters().stream().map(Parameter::name).toList();
            assertEquals(projection ? List.of("main.0.weight", "main.0.bias", "shortcut.0.weight")
                    : List.of("main.0.weight", "main.0.bias"), names);
        }
    }

    /**
     * A residual block whose activation is a ReLU adds its branches and clamps in one pass: its outputs, input and
     * parameter gradients and evaluation outputs match those of the same block with LeakyReLU of slope 0 (the same
     * function and gradient, run as the sum followed by the activation layer).
     */
    @ParameterizedTest(name = "projection shortcut: {0}")
    @ValueSource(booleans = {false, true})
    void residualReluRunsInTheSumsPassWithTheSameResults(boolean projection) {
        Shape shape = Shape.of(2, 3, 7, 6);
        float[] x = values(Math.toIntExact(shape.size()), -1, 1);
        try (Residual fused = residualBlock(projection, ActivationLayer.relu());
             Residual separate = residualBlock(projection, ActivationLayer.leakyRelu(0f));
             Tensor input = upload(shape, x)) {
            Shape outShape = fused.outputShape(shape);
            try (Tensor dy = upload(outShape, values(Math.toIntExact(outShape.size()), -1, 1))) {
                assertClose("fused output", separate.forward(input, Mode.TRAIN).toArray(),
                        fused.forward(input, Mode.TRAIN).toArray(), TIGHT);
                assertClose("fused input gradient", separate.backward(dy, true).toArray(),
                        fused.backward(dy, true).toArray(), TIGHT);
                for (int i = 0; i < fused.parameters().size(); i++) {
                    assertClose("fused " + fused.parameters().get(i).name() + " gradient",
                            separate.parameters().get(i).grad().toArray(),
                            fused.parameters().get(i).grad().toArray(), TIGHT);
                }
                assertClose("fused evaluation output", separate.forward(input, Mode.EVAL).toArray(),
                        fused.forward(input, Mode.EVAL).toArray(), TIGHT);
            }
        }
    }

    /** A block of a 3x3 convolution and a batch norm, with the identity or a strided 1x1 convolution beside it. */
    private Residual residualBlock(boolean projection, ActivationLayer activation) {
        int stride = projection ? 2 : 1;
        Sequential main = new Sequential(List.of(
                new Conv2d(backend(), new Initializer(3), 3, projection ? 4 : 3, 3, 3, stride, 1, 1, false),
                BatchNorm.of2d(backend(), projection ? 4 : 3)));
        Sequential shortcut = projection ? new Sequential(List.of(
                new Conv2d(backend(), new Initializer(4), 3, 4, 1, 1, stride, 0, 1, false))) : null;
        return new Residual(main, shortcut, activation);
    }

    /**
     * ReLU followed by max pooling runs fused in a Sequential (the pooling first, the ReLU on its output), with the
     * outputs and input gradients of the two layers run one at a time. Inputs on a coarse grid give windows with
     * equal maxima, zeros and no positive value.
     */
    @ParameterizedTest(name = "kernel {0}, stride {1}, padding {2}")
    @CsvSource({"2, 2, 0", "3, 2, 1"})
    void reluThenMaxPoolRunsFusedWithTheSameResults(int kernel, int stride, int padding) {
        Shape shape = Shape.of(2, 3, 7, 6);
        float[] x = values(Math.toIntExact(shape.size()), -1, 1);
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.round(2 * x[i]) / 2f;
        }
        ActivationLayer relu = ActivationLayer.relu();
        MaxPool2d pool = new MaxPool2d(kernel, stride, padding);
        assertNotNull(relu.fusedWith(pool), "ReLU then max pooling fuses");
        assertNull(ActivationLayer.leakyRelu().fusedWith(pool), "LeakyReLU does not");
        assertNull(relu.fusedWith(new AvgPool2d(kernel, stride, padding)), "nor does average pooling");
        Shape pooled = pool.outputShape(shape);
        try (relu; pool;
             Sequential fused = new Sequential(List.of(ActivationLayer.relu(), new MaxPool2d(kernel, stride, padding)));
             Tensor input = upload(shape, x);
             Tensor dy = upload(pooled, values(Math.toIntExact(pooled.size()), -1, 1))) {
            float[] expected = pool.forward(relu.forward(input, Mode.TRAIN), Mode.TRAIN).toArray();
            float[] expectedDx = relu.backward(pool.backward(dy, true), true).toArray();
            assertClose("fused output", expected, fused.forward(input, Mode.TRAIN).toArray(), TIGHT);
            assertClose("fused input gradient", expectedDx, fused.backward(dy, true).toArray(), TIGHT);
        }
    }

    /**
     * Batch norm followed by ReLU runs fused in a Sequential (the ReLU in the normalization's pass): outputs, input
     * and parameter gradients, running statistics and evaluation outputs of the two layers run one at a time.
     */
    @Test
    void batchNormThenReluRunsFusedWithTheSameResults() {
        Shape shape = Shape.of(4, 3, 5, 6);
        float[] x = values(Math.toIntExact(shape.size()), -1, 3);
        BatchNorm norm = BatchNorm.of2d(backend(), 3);
        ActivationLayer relu = ActivationLayer.relu();
        BatchNorm fusedNorm = BatchNorm.of2d(backend(), 3);
        assertNotNull(norm.fusedWith(relu), "batch norm then ReLU fuses");
        assertNull(norm.fusedWith(ActivationLayer.tanh()), "batch norm then tanh does not");
        try (norm; relu; Sequential fused = new Sequential(List.of(fusedNorm, ActivationLayer.relu()));
             Tensor input = upload(shape, x); Tensor dy = upload(shape, values(Math.toIntExact(shape.size()), -1, 1))) {
            float[] expected = relu.forward(norm.forward(input, Mode.TRAIN), Mode.TRAIN).toArray();
            float[] expectedDx = norm.backward(relu.backward(dy, true), true).toArray();
            assertClose("fused output", expected, fused.forward(input, Mode.TRAIN).toArray(), TIGHT);
            assertClose("fused input gradient", expectedDx, fused.backward(dy, true).toArray(), TIGHT);
            for (int i = 0; i < 2; i++) {
                assertClose("fused " + norm.parameters().get(i).name() + " gradient",
                        norm.parameters().get(i).grad().toArray(), fusedNorm.parameters().get(i).grad().toArray(),
                        TIGHT);
            }
            assertClose("fused running mean", norm.runningMean().toArray(), fusedNorm.runningMean().toArray(), TIGHT);
            assertClose("fused running variance", norm.runningVar().toArray(), fusedNorm.runningVar().toArray(),
                    TIGHT);
            float[] expectedEval = relu.forward(norm.forward(input, Mode.EVAL), Mode.EVAL).toArray();
            assertClose("fused evaluation output", expectedEval, fused.forward(input, Mode.EVAL).toArray(), TIGHT);
        }
    }

    @Test
    void batchNorm2dNormalizesPerChannelAndTracksRunningStatistics() {
        int n = 3;
        int c = 2;
        int s = 5;
        float[] x = values(n * c * s, -2, 3);
        try (BatchNorm layer = BatchNorm.of2d(backend(), c);
             Tensor input = upload(Shape.of(n, c, 1, s), x)) {
            assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"),
                    List.copyOf(layer.buffers().keySet()));
            assertEquals(List.of("weight", "bias"), layer.parameters().stream().map(Parameter::name).toList());
            float[] weight = values(c, 0.5f, 2);
            float[] bias = values(c, -1, 1);
            backend().upload(weight, 0, layer.parameters().get(0).value());
            backend().upload(bias, 0, layer.parameters().get(1).value());

            double[] mean = new double[c];
            double[] var = new double[c];
            int m = n * s;
            for (int ch = 0; ch < c; ch++) {
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < s; i++) {
                        mean[ch] += x[(b * c + ch) * s + i] / (double) m;
                    }
                }
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < s; i++) {
                        double d = x[(b * c + ch) * s + i] - mean[ch];
                        var[ch] += d * d / m;
                    }
                }
            }
            float[] expected = new float[x.length];
            float[] runningMean = new float[c];
            float[] runningVar = new float[c];
            for (int ch = 0; ch < c; ch++) {
                runningMean[ch] = (float) (BatchNorm.MOMENTUM * mean[ch]);
                runningVar[ch] = (float) (1 - BatchNorm.MOMENTUM + BatchNorm.MOMENTUM * var[ch] * m / (m - 1));
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < s; i++) {
                        int k = (b * c + ch) * s + i;
                        expected[k] = (float) ((x[k] - mean[ch]) / Math.sqrt(var[ch] + BatchNorm.EPSILON)
                                * weight[ch] + bias[ch]);
                    }
                }
            }
            assertClose("BatchNorm2d train output", expected, layer.forward(input, Mode.TRAIN).toArray(), CLOSE);
            assertClose("running_mean", runningMean, layer.runningMean().toArray(), TIGHT);
            assertClose("running_var (unbiased)", runningVar, layer.runningVar().toArray(), TIGHT);

            for (int ch = 0; ch < c; ch++) {
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < s; i++) {
                        int k = (b * c + ch) * s + i;
                        expected[k] = (float) ((x[k] - runningMean[ch])
                                / Math.sqrt(runningVar[ch] + BatchNorm.EPSILON) * weight[ch] + bias[ch]);
                    }
                }
            }
            float[] trainedMean = layer.runningMean().toArray();
            assertClose("BatchNorm2d eval output", expected, layer.forward(input, Mode.EVAL).toArray(), CLOSE);
            assertArrayEquals(trainedMean, layer.runningMean().toArray(), "evaluation leaves running_mean alone");
            assertEquals(1f, layer.buffers().get("num_batches_tracked").item(), "counts training passes only");
        }
    }

    @Test
    void batchNorm1dNormalizesEachFeature() {
        int n = 7;
        int f = 3;
        float[] x = values(n * f, -1, 4);
        try (BatchNorm layer = BatchNorm.of1d(backend(), f);
             Tensor input = upload(Shape.of(n, f), x)) {
            float[] y = layer.forward(input, Mode.TRAIN).toArray();
            for (int j = 0; j < f; j++) {
                double mean = 0;
                double sq = 0;
                for (int i = 0; i < n; i++) {
                    mean += y[i * f + j] / (double) n;
                    sq += (double) y[i * f + j] * y[i * f + j] / n;
                }
                assertEquals(0, mean, 1e-5, "feature " + j + " mean");
                assertEquals(1, sq - mean * mean, 1e-3, "feature " + j + " variance");
            }
        }
    }

    @Test
    void batchNormRejectsOneValuePerChannelInTraining() {
        try (BatchNorm layer = BatchNorm.of1d(backend(), 3);
             Tensor input = upload(Shape.of(1, 3), values(3, -1, 1))) {
            assertThrows(ShapeMismatchException.class, () -> layer.forward(input, Mode.TRAIN));
            assertEquals(Shape.of(1, 3), layer.forward(input, Mode.EVAL).shape());
        }
    }

    @Test
    void dropoutDrawsANewMaskEachStepAndRestoresTheCount() {
        float p = 0.25f;
        int size = 4001;
        float[] x = values(size, 0.5f, 1.5f);
        Initializer init = new Initializer(99);
        try (Dropout layer = new Dropout(init, p); Dropout other = new Dropout(init, p);
             Tensor input = upload(Shape.of(1, size), x)) {
            assertSame(input, layer.forward(input, Mode.EVAL), "eval mode is the identity");
            float[] first = layer.forward(input, Mode.TRAIN).toArray();
            int dropped = 0;
            for (int i = 0; i < size; i++) {
                if (first[i] == 0f) {
                    dropped++;
                } else {
                    assertEquals(x[i] / (1 - p), first[i], 1e-6f * (1 + Math.abs(first[i])), "kept element " + i);
                }
            }
            assertEquals(p, dropped / (double) size, 0.03, "fraction dropped");
            assertEquals(1, layer.calls());
            float[] second = layer.forward(input, Mode.TRAIN).toArray();
            assertFalse(Arrays.equals(first, second), "each training pass draws a new mask");
            assertFalse(Arrays.equals(first, other.forward(input, Mode.TRAIN).toArray()),
                    "two layers draw different masks");
            layer.restoreCalls(0);
            assertArrayEquals(first, layer.forward(input, Mode.TRAIN).toArray(), "restored count, same mask");
            float[] dy = values(size, -1, 1);
            try (Tensor grad = upload(Shape.of(1, size), dy)) {
                float[] dx = layer.backward(grad, true).toArray();
                for (int i = 0; i < size; i++) {
                    assertEquals(first[i] == 0f ? 0f : dy[i] / (1 - p), dx[i], 1e-6f, "gradient " + i);
                }
            }
        }
    }

    @Test
    void softmaxCrossEntropyIsTheMeanNegativeLogLikelihood() {
        int n = 5;
        int classes = 7;
        float[] logits = values(n * classes, -4, 4);
        float[] labels = {0, 6, 3, 3, 1};
        try (Loss loss = new SoftmaxCrossEntropyLoss(); Tensor out = upload(Shape.of(n, classes), logits);
             Tensor target = upload(Shape.of(n), labels)) {
            double expected = 0;
            for (float rowLoss : ReferenceOps.softmaxCrossEntropyForward(logits, labels, classes).rowLoss()) {
                expected += rowLoss / (double) n;
            }
            assertEquals(expected, loss.forward(out, target).item(), 1e-5 * (1 + expected));
        }
    }

    @Test
    void mseIsTheMeanOverAllElements() {
        Shape shape = Shape.of(3, 2, 5);
        float[] a = values(30, -2, 2);
        float[] b = values(30, -2, 2);
        try (Loss loss = new MseLoss(); Tensor out = upload(shape, a); Tensor target = upload(shape, b)) {
            double expected = 0;
            for (int i = 0; i < a.length; i++) {
                expected += (a[i] - b[i]) * (double) (a[i] - b[i]) / a.length;
            }
            assertEquals(expected, loss.forward(out, target).item(), 1e-5 * (1 + expected));
        }
    }

    // ---- errors -----------------------------------------------------------------------------------------------

    /** The exception's message names the layer, the expected shape and the actual one. */
    private static void assertShapeError(Layer layer, Shape input, String expected) {
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> layer.outputShape(input));
        String message = e.getMessage();
        assertTrue(message.contains(layer.describe()), () -> "no layer name in: " + message);
        assertTrue(message.contains(expected), () -> "no expected shape '" + expected + "' in: " + message);
        assertTrue(message.contains(input.toString()), () -> "no actual shape in: " + message);
    }

    @Test
    void layersNameTheShapesThatDoNotFit() {
        try (Linear linear = new Linear(backend(), new Initializer(1), 7, 5);
             Conv2d conv = new Conv2d(backend(), new Initializer(1), 3, 4, 5);
             BatchNorm norm1d = BatchNorm.of1d(backend(), 4);
             BatchNorm norm2d = BatchNorm.of2d(backend(), 4)) {
            assertShapeError(linear, Shape.of(3, 6), "[N, 7]");
            assertShapeError(linear, Shape.of(3, 7, 1), "[N, 7]");
            assertShapeError(conv, Shape.of(2, 2, 9, 9), "[N, 3, H, W]");
            assertShapeError(conv, Shape.of(2, 3, 9), "[N, 3, H, W]");
            assertShapeError(conv, Shape.of(2, 3, 4, 9), "does not fit");
            assertShapeError(new MaxPool2d(2), Shape.of(2, 3, 4), "[N, C, H, W]");
            assertShapeError(new AvgPool2d(3), Shape.of(2, 3, 2, 8), "at least 3x3");
            assertShapeError(new Flatten(), Shape.of(5), "rank 2");
            assertShapeError(norm1d, Shape.of(3, 5), "[N, 4]");
            assertShapeError(norm2d, Shape.of(3, 4, 2), "[N, 4, H, W]");
            assertShapeError(new GlobalAvgPool(), Shape.of(3, 4), "[N, C, H, W]");
        }
        try (Residual block = new Residual(new Sequential(List.of(new Conv2d(backend(), new Initializer(1), 3, 4,
                1))), null, ActivationLayer.relu())) {
            assertShapeError(block, Shape.of(2, 3, 5, 5), "[2, 4, 5, 5] vs [2, 3, 5, 5]");
        }
    }

    @Test
    void forwardChecksShapesToo() {
        try (Linear linear = new Linear(backend(), new Initializer(1), 7, 5);
             Tensor x = upload(Shape.of(2, 6), values(12, -1, 1))) {
            assertThrows(ShapeMismatchException.class, () -> linear.forward(x, Mode.TRAIN));
        }
    }

    @Test
    void lossesNameTargetsThatDoNotFit() {
        try (Loss ce = new SoftmaxCrossEntropyLoss(); Loss mse = new MseLoss();
             Tensor out = upload(Shape.of(3, 4), values(12, -1, 1));
             Tensor wrongLabels = upload(Shape.of(4), new float[] {0, 1, 2, 3});
             Tensor wrongTarget = upload(Shape.of(4, 3), values(12, -1, 1))) {
            String ceMessage = assertThrows(ShapeMismatchException.class, () -> ce.forward(out, wrongLabels))
                    .getMessage();
            assertTrue(ceMessage.contains("[3]") && ceMessage.contains("[4]"), ceMessage);
            String mseMessage = assertThrows(ShapeMismatchException.class, () -> mse.forward(out, wrongTarget))
                    .getMessage();
            assertTrue(mseMessage.contains("[3, 4]") && mseMessage.contains("[4, 3]"), mseMessage);
            assertThrows(ShapeMismatchException.class, () -> ce.forward(wrongLabels, wrongLabels));
        }
    }

    @Test
    void backwardNeedsATrainingForwardPass() {
        List<Supplier<Layer>> layers = List.of(
                () -> new Linear(backend(), new Initializer(1), 4, 3),
                () -> new Conv2d(backend(), new Initializer(1), 4, 3, 1),
                () -> BatchNorm.of1d(backend(), 4),
                () -> new Dropout(new Initializer(1), 0.5f),
                ActivationLayer::relu, Flatten::new,
                () -> new Residual(new Sequential(List.of(new Conv2d(backend(), new Initializer(1), 4, 4, 1))), null,
                        ActivationLayer.relu()));
        try (Tensor x = upload(Shape.of(2, 4, 1, 1), values(8, -1, 1))) {
            for (Supplier<Layer> make : layers) {
                try (Layer layer = make.get()) {
                    assertThrows(IllegalStateException.class, () -> layer.backward(x, true), layer.describe());
                    Tensor input = layer instanceof Linear || layer instanceof BatchNorm
                            ? x.reshape(Shape.of(2, 4)) : x;
                    Tensor y = layer.forward(input, Mode.EVAL);
                    assertThrows(IllegalStateException.class, () -> layer.backward(y, true),
                            layer.describe() + " after an eval pass");
                }
            }
        }
    }

    // ---- models -----------------------------------------------------------------------------------------------

    @Test
    void lenet5BuildsWithPyTorchNamesAndShapes() {
        ModelSpec spec = ModelSpec.builtIn("lenet5");
        try (Sequential model = spec.build(backend(), 42)) {
            Map<String, Shape> expected = new LinkedHashMap<>();
            expected.put("0.weight", Shape.of(6, 1, 5, 5));
            expected.put("0.bias", Shape.of(6));
            expected.put("3.weight", Shape.of(16, 6, 5, 5));
            expected.put("3.bias", Shape.of(16));
            expected.put("7.weight", Shape.of(120, 400));
            expected.put("7.bias", Shape.of(120));
            expected.put("9.weight", Shape.of(84, 120));
            expected.put("9.bias", Shape.of(84));
            expected.put("11.weight", Shape.of(10, 84));
            expected.put("11.bias", Shape.of(10));
            Map<String, Shape> actual = new LinkedHashMap<>();
            for (Parameter p : model.parameters()) {
                actual.put(p.name(), p.value().shape());
            }
            assertEquals(expected, actual);
            try (Tensor x = upload(Shape.of(3, 1, 28, 28), values(3 * 784, 0, 1))) {
                Tensor y = model.forward(x, Mode.EVAL);
                assertEquals(spec.outputShape(3), y.shape());
                assertEquals(Shape.of(3, 10), y.shape());
            }
        }
    }

    /**
     * The built-in ResNets have the parameters, buffers and sizes of the same network in PyTorch, named as its
     * {@code state_dict} names them (counts from {@code tools/torch_eval.py}'s modules).
     */
    @ParameterizedTest
    @ValueSource(strings = {"resnet8", "resnet20"})
    void resnetsBuildWithPyTorchNamesAndShapes(String name) {
        ModelSpec spec = ModelSpec.builtIn(name);
        try (Sequential model = spec.build(backend(), 42)) {
            Map<String, Shape> shapes = new LinkedHashMap<>();
            model.parameters().forEach(p -> shapes.put(p.name(), p.value().shape()));
            long count = model.parameters().stream().mapToLong(p -> p.value().size()).sum();
            assertEquals(name.equals("resnet8") ? 77_754 : 272_186, count, "parameters");
            assertEquals(Shape.of(16, 1, 3, 3), shapes.get("0.weight"));
            assertEquals(Shape.of(16, 16, 3, 3), shapes.get("3.main.0.weight"));
            assertEquals(Shape.of(16), shapes.get("3.main.4.bias"));
            int stage2 = name.equals("resnet8") ? 4 : 6;
            assertEquals(Shape.of(32, 16, 3, 3), shapes.get(stage2 + ".main.0.weight"));
            assertEquals(Shape.of(32, 16, 1, 1), shapes.get(stage2 + ".shortcut.0.weight"));
            assertEquals(Shape.of(32), shapes.get(stage2 + ".shortcut.1.weight"));
            int last = spec.layers().size() - 1;
            assertEquals(Shape.of(10, 64), shapes.get(last + ".weight"));
            assertTrue(model.buffers().containsKey(stage2 + ".shortcut.1.running_var"));
            assertTrue(model.buffers().containsKey("3.main.1.num_batches_tracked"));
            try (Tensor x = upload(Shape.of(3, 1, 28, 28), values(3 * 784, 0, 1))) {
                assertEquals(Shape.of(3, 10), model.forward(x, Mode.TRAIN).shape());
                assertEquals(Shape.of(3, 10), model.forward(x, Mode.EVAL).shape());
            }
        }
    }

    @Test
    void aSeedGivesTheSameInitialModel() {
        ModelSpec spec = ModelSpec.builtIn("mlp");
        try (Sequential a = spec.build(backend(), 7); Sequential b = spec.build(backend(), 7);
             Sequential c = spec.build(backend(), 8)) {
            for (int i = 0; i < a.parameters().size(); i++) {
                float[] pa = a.parameters().get(i).value().toArray();
                assertArrayEquals(pa, b.parameters().get(i).value().toArray(), "same seed");
                assertNotEquals(pa[0], c.parameters().get(i).value().toArray()[0], "another seed");
            }
            assertNotEquals(a.parameters().get(0).value().toArray()[0], a.parameters().get(2).value().toArray()[0],
                    "each tensor draws its own stream");
        }
    }

    /** Every layer type in one of the two models: the second has residual blocks and the newer activations. */
    @ParameterizedTest
    @ValueSource(strings = {"""
            {"name": "every-layer", "input": [2, 9, 9], "layers": [
              {"type": "conv2d", "out": 4, "kernel": 3, "padding": 1, "bias": false},
              {"type": "batchnorm"}, {"type": "leaky_relu"}, {"type": "maxpool2d", "kernel": 2},
              {"type": "conv2d", "out": 3, "kernel": 2, "stride": 2, "dilation": 1},
              {"type": "avgpool2d", "kernel": 2, "stride": 1}, {"type": "tanh"}, {"type": "flatten"},
              {"type": "dropout", "p": 0.5}, {"type": "linear", "out": 6}, {"type": "batchnorm"},
              {"type": "sigmoid"}, {"type": "relu"}, {"type": "linear", "out": 4}]}
            """, """
            {"name": "residual-layers", "input": [2, 9, 9], "layers": [
              {"type": "conv2d", "out": 4, "kernel": 3, "padding": 1, "bias": false}, {"type": "batchnorm"},
              {"type": "residual", "main": [
                {"type": "conv2d", "out": 4, "kernel": 3, "padding": 1, "groups": 2}, {"type": "gelu"},
                {"type": "conv2d", "out": 4, "kernel": 3, "padding": 1, "groups": 4}, {"type": "batchnorm"}],
               "activation": "silu"},
              {"type": "residual", "main": [{"type": "conv2d", "out": 6, "kernel": 3, "stride": 2, "padding": 1}],
               "shortcut": [{"type": "conv2d", "out": 6, "kernel": 1, "stride": 2}, {"type": "batchnorm"}]},
              {"type": "global_avgpool"}, {"type": "linear", "out": 4}]}
            """})
    void aTrainingStepInSteadyStateAllocatesNothingAndTransfersOnlyTheLosses(String json) {
        ModelSpec spec = ModelSpec.parse(json);
        int batch = 5;
        try (Sequential model = spec.build(backend(), 3); Loss ce = new SoftmaxCrossEntropyLoss();
             Loss mse = new MseLoss();
             Tensor x = upload(spec.input().prepend(batch), values(batch * 2 * 81, -1, 1));
             Tensor labels = backend().allocate(Shape.of(batch));
             Tensor target = upload(spec.outputShape(batch), values(batch * 4, -1, 1))) {
            backend().uploadLabels(new float[] {0, 3, 1, 2, 3}, 0, labels);
            for (int step = 0; step < 2; step++) {
                trainingStep(model, ce, mse, x, labels, target);
            }
            PoolStats before = backend().pool().stats();
            TransferStats transfersBefore = backend().transfers();
            for (int step = 0; step < 3; step++) {
                trainingStep(model, ce, mse, x, labels, target);
            }
            PoolStats after = backend().pool().stats();
            assertEquals(before.allocations(), after.allocations(), "device allocations in steady state");
            assertEquals(before.liveBuffers(), after.liveBuffers(), "live buffers in steady state");
            assertEquals(new TransferStats(0, 0, 3 * 2, 3 * 2 * Float.BYTES),
                    backend().transfers().since(transfersBefore), "host transfers of 3 steps: the 2 losses each");
        }
    }

    private static void trainingStep(Sequential model, Loss ce, Loss mse, Tensor x, Tensor labels, Tensor target) {
        Tensor y = model.forward(x, Mode.TRAIN);
        ce.forward(y, labels).item();
        assertNull(model.backward(ce.backward(), false));
        mse.forward(y, target).item();
        model.backward(mse.backward(), true);
        model.forward(x, Mode.EVAL);
    }
}
