package dev.cortado.cpu;

import static dev.cortado.cpu.TestData.assertClose;
import static dev.cortado.cpu.TestData.integers;
import static dev.cortado.cpu.TestData.poisoned;
import static dev.cortado.cpu.TestData.uniform;
import static dev.cortado.cpu.TestData.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cortado.backend.Activation;
import dev.cortado.backend.AdamStep;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
import dev.cortado.backend.DropoutSpec;
import dev.cortado.backend.PoolSpec;
import dev.cortado.backend.SgdStep;
import dev.cortado.backend.UnaryOp;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.ReferenceOps;
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
 * row, a Philox block or a tile), against the plain single-threaded loops of {@link ReferenceOps}, written from
 * the op's definition.
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
        assertClose(ReferenceOps.map(op, x), y.toArray(), 1e-6, op.toString());
    }

    @Test
    void affineAndAxpby() {
        float[] x = uniform(random, N, -2f, 2f);
        float[] y0 = uniform(random, N, -2f, 2f);
        Tensor xt = upload(backend, x);
        Tensor y = poisoned(backend, N);
        backend.affine(1.5f, xt, -0.25f, y);
        assertClose(ReferenceOps.affine(1.5f, x, -0.25f), y.toArray(), 1e-6, "affine");

        y = poisoned(backend, N);
        float[] nans = new float[N];
        Arrays.fill(nans, Float.NaN);
        backend.axpby(0.5f, xt, 0f, y);
        assertClose(ReferenceOps.axpby(0.5f, x, 0f, nans), y.toArray(), 1e-6, "axpby with beta 0 on NaN");

        y = upload(backend, y0);
        backend.axpby(0.5f, xt, -3f, y);
        assertClose(ReferenceOps.axpby(0.5f, x, -3f, y0), y.toArray(), 1e-6, "axpby");
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
            assertClose(ReferenceOps.zip(op, aOp, bOp, bInner), out.toArray(), 1e-6,
                    op + " n=" + n + " b=" + bSize + " bInner=" + bInner);
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
        float[] absX = ReferenceOps.map(UnaryOp.ABS, x);
        float[] absOld = ReferenceOps.map(UnaryOp.ABS, old);
        for (float beta : new float[] {0f, -2f}) {
            Tensor out = beta == 0f ? poisoned(backend, outer * inner) : upload(backend, old);
            backend.sum(upload(backend, x), outer, length, inner, 0.5f, beta, out);
            float[] expected = ReferenceOps.sum(x, outer, length, inner, 0.5f, beta, old);
            // The same sum over magnitudes: rounding error grows with it, not with the (possibly cancelling) result.
            float[] scale = ReferenceOps.sum(absX, outer, length, inner, 0.5f, Math.abs(beta), absOld);
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
        assertArrayEquals(ReferenceOps.argmax(x, rows, cols), out.toArray());
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
        ReferenceOps.SoftmaxCrossEntropy expected = ReferenceOps.softmaxCrossEntropyForward(logits, labels, classes);
        assertClose(expected.probs(), probs.toArray(), 1e-5, "probs");
        assertClose(expected.rowLoss(), loss.toArray(), 1e-5, "row loss");

        float scale = 1f / rows;
        Tensor grad = poisoned(backend, Shape.of(rows, classes));
        backend.softmaxCrossEntropyBackward(probs, upload(backend, labels), scale, grad);
        float[] expectedGrad = ReferenceOps.softmaxCrossEntropyBackward(expected.probs(), labels, scale, classes);
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

        assertClose(ReferenceOps.poolForward(s, x), y.toArray(), 1e-6, "pool forward");
        assertClose(ReferenceOps.poolBackward(s, x, dy), dx.toArray(), 1e-5, "pool backward");
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
        float[] expectedY = ReferenceOps.activationForward(f, alpha, x);
        assertClose(expectedY, y.toArray(), 1e-6, f + " forward");
        assertClose(ReferenceOps.activationBackward(f, alpha, x, expectedY, dy), dx.toArray(), 1e-5, f + " backward");
    }

    @Test
    void dropoutUsesThePhiloxMaskOfEveryElement() {
        DropoutSpec spec = new DropoutSpec(0.3f, 0x1234_5678_9abcL, 0xfeed_0000_0003L);
        float[] x = uniform(random, N, -2f, 2f);
        Tensor y = poisoned(backend, N);
        backend.dropoutForward(spec, upload(backend, x), y);
        Tensor dx = poisoned(backend, N);
        backend.dropoutBackward(spec, upload(backend, x), dx);
        // The mask must match exactly; kept values may differ by the rounding of x * scale against x / (1 - p).
        float[] expected = ReferenceOps.dropout(spec, x);
        float[] forward = y.toArray();
        assertSameZeros(expected, forward, "dropout forward");
        assertClose(expected, forward, 1e-6, "dropout forward");
        float[] backward = dx.toArray();
        assertSameZeros(expected, backward, "dropout backward");
        assertClose(expected, backward, 1e-6, "dropout backward");
    }

    /**
     * Asserts that exactly the same elements are zero, so a dropout mask is checked on every element, even where
     * the kept values are smaller than {@link TestData#assertClose}'s allowance near zero.
     */
    private static void assertSameZeros(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if ((expected[i] == 0f) != (actual[i] == 0f)) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
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
        ReferenceOps.Updated expected = ReferenceOps.sgdUpdate(s, p, g, v);
        assertClose(expected.param(), pt.toArray(), 1e-6, "param");
        if (vt != null) {
            assertClose(expected.first(), vt.toArray(), 1e-6, "velocity");
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
        ReferenceOps.Updated expected = ReferenceOps.adamUpdate(s, p, g, m, v);
        assertClose(expected.first(), mt.toArray(), 1e-6, "m");
        assertClose(expected.second(), vt.toArray(), 1e-6, "v");
        assertClose(expected.param(), pt.toArray(), 1e-6, "param");
    }

    static Stream<ConvGeometry> geometries() {
        return Stream.of(
                new ConvGeometry(67, 1, 28, 28, 5, 5, 1, 2, 1), // LeNet conv1
                new ConvGeometry(67, 6, 14, 14, 5, 5, 1, 0, 1), // LeNet conv2
                new ConvGeometry(5, 3, 31, 29, 3, 4, 2, 3, 2), // stride, dilation, padding wider than the kernel
                new ConvGeometry(3, 2, 7, 11, 1, 1, 3, 4, 1), // padding so wide that whole rows are padding
                new ConvGeometry(2, 2, 5, 1, 7, 7, 1, 3, 1), // and whole kernel columns
                new ConvGeometry(3, 2, 6, 5, 3, 3, 1, 2, 1)); // stride 1, output wider and taller than the image
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

        assertArrayEquals(ReferenceOps.im2col(g, image), columns.toArray(), "im2col");
        // Each pixel sums up to kernelH * kernelW entries in float; the reference sums them in double.
        assertClose(ReferenceOps.col2im(g, colValues), folded.toArray(), 1e-5, "col2im");
    }

    /**
     * A wide residual layer's 3x3 convolution at a training batch, on Winograd's path: 112 channels of 7 x 7, whose
     * chunks of images take 64 tiles where L2 holds 2 MiB or less (four images where they would take eight with two
     * threads); the products, transforms and chunks against the definition.
     */
    @Test
    void wideWinogradConvolutionAtATrainingBatch() {
        ConvSpec s = new ConvSpec(new ConvGeometry(32, 112, 7, 7, 3, 3, 1, 1, 1), 112, 1);
        float[] x = uniform(random, Math.toIntExact(s.geometry().imageSize()), -1f, 1f);
        float[] w = uniform(random, Math.toIntExact(s.weightSize()), -1f, 1f);
        float[] dy = uniform(random, Math.toIntExact(s.outputSize()), -1f, 1f);
        Tensor y = poisoned(backend, s.outputSize());
        backend.convolutionForward(s, upload(backend, x), upload(backend, w), y);
        Tensor dx = poisoned(backend, s.geometry().imageSize());
        backend.convolutionBackwardInput(s, upload(backend, w), upload(backend, dy), dx);
        Tensor dw = upload(backend, new float[Math.toIntExact(s.weightSize())]);
        backend.convolutionBackwardWeight(s, upload(backend, x), upload(backend, dy), dw);
        // sums of about a thousand products of values in [-1, 1], rounded in float (and Winograd's transforms)
        assertClose(ReferenceOps.convolution(s, x, w), y.toArray(), 1e-4, "forward " + s);
        assertClose(ReferenceOps.convolutionInputGradient(s, w, dy), dx.toArray(), 1e-4, "input gradient " + s);
        assertClose(ReferenceOps.convolutionWeightGradient(s, x, dy), dw.toArray(), 1e-4, "weight gradient " + s);
    }

    @ParameterizedTest
    @MethodSource("swapCases")
    void swapLeadingAxes(int a, int b, int c) {
        float[] src = uniform(random, a * b * c, -1f, 1f);
        Tensor dst = poisoned(backend, (long) a * b * c);
        backend.swapLeadingAxes(a, b, c, upload(backend, src), dst);
        assertArrayEquals(ReferenceOps.swapLeadingAxes(a, b, c, src), dst.toArray());
    }

    static Stream<Arguments> swapCases() {
        return Stream.of(Arguments.of(13, 1031, 37), Arguments.of(1009, 997, 1), Arguments.of(6, 67, 784),
                Arguments.of(1, 5, 3));
    }
}
