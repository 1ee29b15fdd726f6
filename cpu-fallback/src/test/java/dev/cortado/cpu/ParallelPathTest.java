package dev.cortado.cpu;

import static dev.cortado.cpu.TestData.assertClose;
import static dev.cortado.cpu.TestData.integers;
import static dev.cortado.cpu.TestData.poisoned;
import static dev.cortado.cpu.TestData.uniform;
import static dev.cortado.cpu.TestData.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.backend.Activation;
import dev.cortado.backend.AdamStep;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.DropoutSpec;
import dev.cortado.backend.PoolSpec;
import dev.cortado.backend.SgdStep;
import dev.cortado.backend.UnaryOp;
import dev.cortado.random.Philox;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every op on tensors large enough to be split across threads, at awkward sizes (primes, chunks that end inside a
 * row, a Philox block or a tile), against a plain single-threaded loop written from the op's definition.
 */
class ParallelPathTest {
    private static final int N = 1_000_003;

    private final CpuBackend backend = new CpuBackend();
    private final SplittableRandom random = new SplittableRandom(20240917);

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void uploadCopyFillDownload() {
        float[] x = uniform(random, N, -3f, 3f);
        Tensor a = upload(backend, x);
        Tensor b = poisoned(backend, N);
        backend.copy(a, b);
        assertArrayEquals(x, b.toArray());
        backend.fill(b, 2.5f);
        float[] twos = new float[N];
        Arrays.fill(twos, 2.5f);
        assertArrayEquals(twos, b.toArray());
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void map(UnaryOp op) {
        float[] x = uniform(random, N, 0.05f, 4f);
        Tensor y = poisoned(backend, N);
        backend.map(op, upload(backend, x), y);
        float[] expected = new float[N];
        for (int i = 0; i < N; i++) {
            double v = x[i];
            expected[i] = (float) switch (op) {
                case SQUARE -> v * v;
                case SQRT -> Math.sqrt(v);
                case RSQRT -> 1 / Math.sqrt(v);
                case EXP -> Math.exp(v);
                case LOG -> Math.log(v);
                case NEG -> -v;
                case ABS -> Math.abs(v);
                case RECIPROCAL -> 1 / v;
            };
        }
        assertClose(expected, y.toArray(), 1e-6, op.toString());
    }

    @Test
    void affineAndAxpby() {
        float[] x = uniform(random, N, -2f, 2f);
        float[] y0 = uniform(random, N, -2f, 2f);
        Tensor xt = upload(backend, x);
        Tensor y = poisoned(backend, N);
        backend.affine(1.5f, xt, -0.25f, y);
        float[] expected = new float[N];
        for (int i = 0; i < N; i++) {
            expected[i] = 1.5f * x[i] - 0.25f;
        }
        assertClose(expected, y.toArray(), 1e-6, "affine");

        y = poisoned(backend, N);
        backend.axpby(0.5f, xt, 0f, y);
        for (int i = 0; i < N; i++) {
            expected[i] = 0.5f * x[i];
        }
        assertClose(expected, y.toArray(), 1e-6, "axpby with beta 0 on NaN");

        y = upload(backend, y0);
        backend.axpby(0.5f, xt, -3f, y);
        for (int i = 0; i < N; i++) {
            expected[i] = 0.5f * x[i] - 3f * y0[i];
        }
        assertClose(expected, y.toArray(), 1e-6, "axpby");
    }

    static Stream<Arguments> zipCases() {
        return Stream.of(
                Arguments.of(N, N, 1), // element-wise
                Arguments.of(1031 * 997, 997, 1), // bias per column of a 1031 x 997 matrix
                Arguments.of(13 * 7 * 11 * 1009, 7, 11 * 1009), // per channel of a (13, 7, 11, 1009) batch
                Arguments.of(N, 1, 1), // scalar
                Arguments.of(N, 1, N), // scalar as one block
                Arguments.of(31 * 3 * 10753, 3, 31)); // b repeats with a short block
    }

    @ParameterizedTest
    @MethodSource("zipCases")
    void zip(int n, int bSize, int bInner) {
        float[] a = uniform(random, n, -2f, 2f);
        float[] b = uniform(random, bSize, 0.5f, 2f);
        for (BinaryOp op : BinaryOp.values()) {
            float[] aOp = op == BinaryOp.EQUAL ? integers(random, n, 2) : a;
            float[] bOp = op == BinaryOp.EQUAL ? integers(random, bSize, 2) : b;
            Tensor out = poisoned(backend, n);
            backend.zip(op, upload(backend, aOp), upload(backend, bOp), bInner, out);
            float[] expected = new float[n];
            for (int i = 0; i < n; i++) {
                float u = aOp[i];
                float v = bOp[(i / bInner) % bSize];
                expected[i] = switch (op) {
                    case ADD -> u + v;
                    case SUB -> u - v;
                    case MUL -> u * v;
                    case DIV -> u / v;
                    case EQUAL -> u == v ? 1f : 0f;
                };
            }
            assertClose(expected, out.toArray(), 1e-6, op + " n=" + n + " b=" + bSize + " bInner=" + bInner);
        }
    }

    static Stream<Arguments> sumCases() {
        return Stream.of(
                Arguments.of(1, N, 1), // one long row, summed in pieces
                Arguments.of(3, 200_003, 1), // a few long rows
                Arguments.of(1009, 997, 1), // many short rows
                Arguments.of(1, 1009, 997), // column sums
                Arguments.of(13, 311, 263), // column sums per outer index
                Arguments.of(7, 67, 1031), // more columns than one tile
                Arguments.of(2, 5, 1)); // too small to split
    }

    @ParameterizedTest
    @MethodSource("sumCases")
    void sum(int outer, int length, int inner) {
        float[] x = uniform(random, outer * length * inner, -1f, 3f);
        float[] old = uniform(random, outer * inner, -1f, 1f);
        for (float beta : new float[] {0f, -2f}) {
            Tensor out = beta == 0f ? poisoned(backend, outer * inner) : upload(backend, old);
            backend.sum(upload(backend, x), outer, length, inner, 0.5f, beta, out);
            float[] expected = new float[outer * inner];
            float[] scale = new float[outer * inner];
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    double s = 0;
                    double magnitude = 0;
                    for (int l = 0; l < length; l++) {
                        s += x[(o * length + l) * inner + i];
                        magnitude += Math.abs(x[(o * length + l) * inner + i]);
                    }
                    expected[o * inner + i] = (float) (0.5 * s + beta * old[o * inner + i]);
                    scale[o * inner + i] = (float) (0.5 * magnitude + Math.abs(beta * old[o * inner + i]));
                }
            }
            float[] actual = out.toArray();
            for (int i = 0; i < actual.length; i++) {
                assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, scale[i]), "sum element " + i);
            }
        }
    }

    @Test
    void sumOfAMillionTenthsIsAccurate() {
        float[] x = new float[N];
        Arrays.fill(x, 0.1f);
        Tensor out = poisoned(backend, 1);
        backend.sum(upload(backend, x), 1, N, 1, 1f, 0f, out);
        double exact = N * (double) 0.1f;
        assertEquals(exact, out.item(), exact * 1e-6);
    }

    @Test
    void argmaxFindsTheFirstMaximum() {
        int rows = 1009;
        int cols = 997;
        float[] x = integers(random, rows * cols, 50);
        Tensor out = poisoned(backend, rows);
        backend.argmax(upload(backend, x), rows, cols, out);
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
        assertArrayEquals(expected, out.toArray());
    }

    static Stream<Arguments> softmaxCases() {
        return Stream.of(Arguments.of(100_003, 10), Arguments.of(7, 100_003), Arguments.of(1, 1));
    }

    @ParameterizedTest
    @MethodSource("softmaxCases")
    void softmaxCrossEntropy(int rows, int classes) {
        float[] logits = uniform(random, rows * classes, -40f, 40f);
        float[] labels = integers(random, rows, classes);
        Tensor probs = poisoned(backend, Shape.of(rows, classes));
        Tensor loss = poisoned(backend, rows);
        backend.softmaxCrossEntropyForward(backend.upload(Shape.of(rows, classes), logits), upload(backend, labels),
                probs, loss);
        float[] expectedProbs = new float[rows * classes];
        float[] expectedLoss = new float[rows];
        float[] expectedGrad = new float[rows * classes];
        float scale = 1f / rows;
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[r * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[r * classes + c] - max);
            }
            int label = (int) labels[r];
            for (int c = 0; c < classes; c++) {
                double p = Math.exp(logits[r * classes + c] - max) / sum;
                expectedProbs[r * classes + c] = (float) p;
                expectedGrad[r * classes + c] = (float) (scale * (p - (c == label ? 1 : 0)));
            }
            expectedLoss[r] = (float) (Math.log(sum) + max - logits[r * classes + label]);
        }
        assertClose(expectedProbs, probs.toArray(), 1e-5, "probs");
        assertClose(expectedLoss, loss.toArray(), 1e-5, "row loss");

        Tensor grad = poisoned(backend, Shape.of(rows, classes));
        backend.softmaxCrossEntropyBackward(probs, upload(backend, labels), scale, grad);
        assertClose(expectedGrad, grad.toArray(), 1e-5, "dLogits");
    }

    static Stream<Arguments> poolCases() {
        return Stream.of(PoolSpec.Kind.values()).flatMap(kind -> Stream.of(
                Arguments.of(new PoolSpec(kind, 67, 31, 28, 28, 2, 2, 0)), // LeNet's pooling, many planes
                Arguments.of(new PoolSpec(kind, 5, 3, 97, 89, 3, 2, 1)), // overlapping windows with padding
                Arguments.of(new PoolSpec(kind, 3, 7, 31, 29, 4, 3, 2))));
    }

    @ParameterizedTest
    @MethodSource("poolCases")
    void pooling(PoolSpec s) {
        float[] x = integers(random, (int) s.inputSize(), 7); // ties: the gradient goes to the first maximum
        float[] dy = uniform(random, (int) s.outputSize(), -1f, 1f);
        Tensor y = poisoned(backend, s.outputSize());
        Tensor xt = upload(backend, x);
        backend.poolForward(s, xt, y);
        Tensor dx = poisoned(backend, s.inputSize());
        backend.poolBackward(s, xt, upload(backend, dy), dx);

        float[] expectedY = new float[(int) s.outputSize()];
        float[] expectedDx = new float[(int) s.inputSize()];
        int outH = s.outHeight();
        int outW = s.outWidth();
        int k = s.kernel();
        for (int p = 0; p < s.batch() * s.channels(); p++) {
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    int o = (p * outH + oy) * outW + ox;
                    float best = Float.NEGATIVE_INFINITY;
                    int bestAt = -1;
                    float sum = 0;
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) {
                            int iy = oy * s.stride() - s.padding() + i;
                            int ix = ox * s.stride() - s.padding() + j;
                            if (iy >= 0 && iy < s.height() && ix >= 0 && ix < s.width()) {
                                int at = (p * s.height() + iy) * s.width() + ix;
                                sum += x[at];
                                if (x[at] > best) {
                                    best = x[at];
                                    bestAt = at;
                                }
                            }
                        }
                    }
                    if (s.kind() == PoolSpec.Kind.MAX) {
                        expectedY[o] = best;
                        expectedDx[bestAt] += dy[o];
                    } else {
                        expectedY[o] = sum / (k * k);
                        for (int i = 0; i < k; i++) {
                            for (int j = 0; j < k; j++) {
                                int iy = oy * s.stride() - s.padding() + i;
                                int ix = ox * s.stride() - s.padding() + j;
                                if (iy >= 0 && iy < s.height() && ix >= 0 && ix < s.width()) {
                                    expectedDx[(p * s.height() + iy) * s.width() + ix] += dy[o] / (k * k);
                                }
                            }
                        }
                    }
                }
            }
        }
        assertClose(expectedY, y.toArray(), 1e-6, "pool forward");
        assertClose(expectedDx, dx.toArray(), 1e-5, "pool backward");
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activation(Activation f) {
        float alpha = 0.07f;
        float[] x = uniform(random, N, -6f, 6f);
        float[] dy = uniform(random, N, -1f, 1f);
        Tensor xt = upload(backend, x);
        Tensor y = poisoned(backend, N);
        backend.activationForward(f, alpha, xt, y);
        Tensor dx = poisoned(backend, N);
        backend.activationBackward(f, alpha, xt, y, upload(backend, dy), dx);
        float[] expectedY = new float[N];
        float[] expectedDx = new float[N];
        for (int i = 0; i < N; i++) {
            double v = x[i];
            double out = switch (f) {
                case RELU -> Math.max(v, 0);
                case LEAKY_RELU -> v > 0 ? v : alpha * v;
                case SIGMOID -> 1 / (1 + Math.exp(-v));
                case TANH -> Math.tanh(v);
            };
            double slope = switch (f) {
                case RELU -> v > 0 ? 1 : 0;
                case LEAKY_RELU -> v > 0 ? 1 : alpha;
                case SIGMOID -> out * (1 - out);
                case TANH -> 1 - out * out;
            };
            expectedY[i] = (float) out;
            expectedDx[i] = (float) (slope * dy[i]);
        }
        assertClose(expectedY, y.toArray(), 1e-6, f + " forward");
        assertClose(expectedDx, dx.toArray(), 1e-5, f + " backward");
    }

    @Test
    void dropoutUsesThePhiloxMaskOfEveryElement() {
        DropoutSpec spec = new DropoutSpec(0.3f, 0x1234_5678_9abcL, 0xfeed_0000_0003L);
        float[] x = uniform(random, N, -2f, 2f);
        Tensor y = poisoned(backend, N);
        backend.dropoutForward(spec, upload(backend, x), y);
        Tensor dx = poisoned(backend, N);
        backend.dropoutBackward(spec, upload(backend, x), dx);
        float[] expected = new float[N];
        for (int i = 0; i < N; i++) {
            boolean keep = Philox.uniform(spec.seed(), spec.stream(), i) >= spec.p();
            expected[i] = keep ? x[i] * spec.scale() : 0f;
        }
        assertArrayEquals(expected, y.toArray());
        assertArrayEquals(expected, dx.toArray());
    }

    static Stream<SgdStep> sgdSteps() {
        return Stream.of(new SgdStep(0.1f, 0f, 0.01f, false), new SgdStep(0.1f, 0.9f, 0.01f, false),
                new SgdStep(0.1f, 0.9f, 0f, true));
    }

    @ParameterizedTest
    @MethodSource("sgdSteps")
    void sgd(SgdStep s) {
        float[] p = uniform(random, N, -1f, 1f);
        float[] g = uniform(random, N, -1f, 1f);
        float[] v = uniform(random, N, -1f, 1f);
        Tensor pt = upload(backend, p);
        Tensor vt = s.momentum() == 0f ? null : upload(backend, v);
        backend.sgdUpdate(s, pt, upload(backend, g), vt);
        float[] expectedP = new float[N];
        float[] expectedV = new float[N];
        for (int i = 0; i < N; i++) {
            float grad = g[i] + s.weightDecay() * p[i];
            if (s.momentum() != 0f) {
                expectedV[i] = s.momentum() * v[i] + grad;
                grad = s.nesterov() ? grad + s.momentum() * expectedV[i] : expectedV[i];
            }
            expectedP[i] = p[i] - s.lr() * grad;
        }
        assertClose(expectedP, pt.toArray(), 1e-6, "param");
        if (vt != null) {
            assertClose(expectedV, vt.toArray(), 1e-6, "velocity");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void adam(boolean decoupled) {
        AdamStep s = new AdamStep(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, decoupled, 7);
        float[] p = uniform(random, N, -1f, 1f);
        float[] g = uniform(random, N, -1f, 1f);
        float[] m = uniform(random, N, -0.1f, 0.1f);
        float[] v = uniform(random, N, 0f, 0.01f);
        Tensor pt = upload(backend, p);
        Tensor mt = upload(backend, m);
        Tensor vt = upload(backend, v);
        backend.adamUpdate(s, pt, upload(backend, g), mt, vt);
        float[] expectedP = new float[N];
        float[] expectedM = new float[N];
        float[] expectedV = new float[N];
        double bc1 = 1 - Math.pow(s.beta1(), s.step());
        double bc2 = 1 - Math.pow(s.beta2(), s.step());
        for (int i = 0; i < N; i++) {
            double param = s.decoupled() ? p[i] * (1 - (double) s.lr() * s.weightDecay()) : p[i];
            double grad = s.decoupled() ? g[i] : g[i] + (double) s.weightDecay() * p[i];
            double mean = s.beta1() * (double) m[i] + (1 - (double) s.beta1()) * grad;
            double var = s.beta2() * (double) v[i] + (1 - (double) s.beta2()) * grad * grad;
            expectedM[i] = (float) mean;
            expectedV[i] = (float) var;
            expectedP[i] = (float) (param - s.lr() * (mean / bc1) / (Math.sqrt(var / bc2) + s.eps()));
        }
        assertClose(expectedM, mt.toArray(), 1e-6, "m");
        assertClose(expectedV, vt.toArray(), 1e-6, "v");
        assertClose(expectedP, pt.toArray(), 1e-6, "param");
    }

    static Stream<ConvGeometry> geometries() {
        return Stream.of(
                new ConvGeometry(67, 1, 28, 28, 5, 5, 1, 2, 1), // LeNet conv1
                new ConvGeometry(67, 6, 14, 14, 5, 5, 1, 0, 1), // LeNet conv2
                new ConvGeometry(5, 3, 31, 29, 3, 4, 2, 3, 2), // stride, dilation, padding wider than the kernel
                new ConvGeometry(3, 2, 7, 11, 1, 1, 3, 4, 1), // padding so wide that whole rows are padding
                new ConvGeometry(2, 2, 5, 1, 7, 7, 1, 3, 1)); // and whole kernel columns
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void im2colAndCol2im(ConvGeometry g) {
        float[] image = uniform(random, (int) g.imageSize(), -1f, 1f);
        int rows = g.columnRows();
        int cols = (int) g.columnCols();
        Tensor columns = poisoned(backend, (long) rows * cols);
        backend.im2col(g, upload(backend, image), columns);

        float[] colValues = uniform(random, rows * cols, -1f, 1f);
        Tensor folded = poisoned(backend, g.imageSize());
        backend.col2im(g, upload(backend, colValues), folded);

        float[] expectedColumns = new float[rows * cols];
        float[] expectedImage = new float[(int) g.imageSize()];
        int outH = g.outHeight();
        int outW = g.outWidth();
        for (int c = 0; c < g.channels(); c++) {
            for (int i = 0; i < g.kernelH(); i++) {
                for (int j = 0; j < g.kernelW(); j++) {
                    int row = (c * g.kernelH() + i) * g.kernelW() + j;
                    for (int n = 0; n < g.batch(); n++) {
                        for (int oy = 0; oy < outH; oy++) {
                            for (int ox = 0; ox < outW; ox++) {
                                int iy = oy * g.stride() - g.padding() + i * g.dilation();
                                int ix = ox * g.stride() - g.padding() + j * g.dilation();
                                int at = row * cols + (n * outH + oy) * outW + ox;
                                if (iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width()) {
                                    int pixel = ((n * g.channels() + c) * g.height() + iy) * g.width() + ix;
                                    expectedColumns[at] = image[pixel];
                                    expectedImage[pixel] += colValues[at];
                                }
                            }
                        }
                    }
                }
            }
        }
        assertArrayEquals(expectedColumns, columns.toArray(), "im2col");
        assertClose(expectedImage, folded.toArray(), 1e-6, "col2im");
    }

    @ParameterizedTest
    @MethodSource("swapCases")
    void swapLeadingAxes(int a, int b, int c) {
        float[] src = uniform(random, a * b * c, -1f, 1f);
        Tensor dst = poisoned(backend, (long) a * b * c);
        backend.swapLeadingAxes(a, b, c, upload(backend, src), dst);
        float[] expected = new float[a * b * c];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                for (int k = 0; k < c; k++) {
                    expected[(j * a + i) * c + k] = src[(i * b + j) * c + k];
                }
            }
        }
        assertArrayEquals(expected, dst.toArray());
    }

    static Stream<Arguments> swapCases() {
        return Stream.of(Arguments.of(13, 1031, 37), Arguments.of(1009, 997, 1), Arguments.of(6, 67, 784),
                Arguments.of(1, 5, 3));
    }
}
