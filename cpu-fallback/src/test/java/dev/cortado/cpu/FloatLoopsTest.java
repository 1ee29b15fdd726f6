package dev.cortado.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cortado.backend.BinaryOp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both versions of {@link FloatLoops}, bit for bit against plain loops written from the definitions: lengths
 * around the vector width, inputs and outputs at offsets of their own, outputs poisoned outside the range so a
 * stray write shows, special values (NaN, signed zeros, infinities) among the inputs.
 */
class FloatLoopsTest {
    private static final String VECTOR = "vector";
    private static final String SCALAR = "scalar";
    /** The bits of the NaN that poisons outputs, which no computation makes. */
    private static final int POISON = 0x7fa00bad;
    private static final int[] LENGTHS = {0, 1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 100, 1021};
    private static final float[] SPECIAL = {Float.NaN, -0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE};

    private final SplittableRandom random = new SplittableRandom(11);

    static Stream<Arguments> cases() {
        return Stream.of(VECTOR, SCALAR).flatMap(name -> Arrays.stream(LENGTHS)
                .mapToObj(n -> Arguments.of(name, n)));
    }

    static Stream<Arguments> zipCases() {
        return Stream.of(VECTOR, SCALAR).flatMap(name -> Arrays.stream(BinaryOp.values())
                .flatMap(op -> Arrays.stream(LENGTHS).mapToObj(n -> Arguments.of(name, op, n))));
    }

    private static FloatLoops loops(String name) {
        if (name.equals(SCALAR)) {
            return new ScalarLoops();
        }
        FloatLoops vector = VectorLoops.createIfUseful();
        assumeTrue(vector != null, "the Vector API has no hardware vectors of 8 floats or more on this machine");
        return vector;
    }

    /** n values at a random offset inside a longer array: about one in eight special, the rest in [-2, 2). */
    private float[] values(int offset, int n) {
        float[] a = new float[offset + n + 5];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextInt(8) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)]
                    : (float) (random.nextDouble() * 4 - 2);
        }
        return a;
    }

    /**
     * n values at a random offset inside a longer array, from a few levels (the special values among them), so
     * that elements of two such arrays are often equal, or equal but for the sign of zero.
     */
    private float[] levels(int offset, int n) {
        float[] a = new float[offset + n + 5];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextInt(2) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : random.nextInt(3) - 1f;
        }
        return a;
    }

    /** {@code a op b} as {@link BinaryOp} defines it. */
    private static float apply(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case EQUAL -> a == b ? 1f : 0f;
        };
    }

    /** An output array whose every element is a signalling pattern, so unwritten and stray elements show. */
    private static float[] poisoned(int length) {
        float[] a = new float[length];
        Arrays.fill(a, Float.intBitsToFloat(POISON));
        return a;
    }

    /**
     * As {@link #assertSameBits}, but any NaN the loops compute matches any other: where two NaNs meet in an
     * addition, which one comes out depends on the order in which the JIT takes the operands, which Java leaves
     * open. The poison must stay where it is expected, bit for bit.
     */
    private static void assertSameValues(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            boolean poison = Float.floatToRawIntBits(expected[i]) == POISON;
            assertEquals(poison ? POISON : Float.floatToIntBits(expected[i]),
                    poison ? Float.floatToRawIntBits(actual[i]) : Float.floatToIntBits(actual[i]),
                    what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
        }
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
        }
    }

    /**
     * Both sums of one run against their definition in the version's lanes: lanes of whole blocks from +0, lane 0
     * plus the others in order, then the tail in order. Special values among the inputs make any other order show (an
     * infinity met before or after a NaN, -0 added to +0).
     */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void sumsAddTheirLanesInTheDefinedOrder(String name, int n) {
        FloatLoops loops = loops(name);
        int lanes = loops.sumLanes();
        float[] a = values(3, n);
        float[] b = values(6, n);
        float aShift = 0.25f;
        float bShift = -1.5f;
        float[] plain = new float[n];
        float[] products = new float[n];
        for (int i = 0; i < n; i++) {
            plain[i] = a[3 + i];
            products[i] = (a[3 + i] - aShift) * (b[6 + i] - bShift);
        }
        assertSameBits(new float[] {inLanes(plain, lanes)}, new float[] {loops.sumOfRuns(a, 3, n, 1, 0)},
                name + " sum");
        assertSameBits(new float[] {inLanes(products, lanes)},
                new float[] {loops.sumOfProductsOfRuns(a, 3, aShift, b, 6, bShift, n, 1, 0)},
                name + " sum of products");
    }

    /** The sum of the terms, one run, in {@link FloatLoops#sumOfRuns}'s order for this many lanes. */
    private static float inLanes(float[] terms, int lanes) {
        return inLanes(new float[][] {terms}, lanes);
    }

    /** The sum of runs of terms in {@link FloatLoops#sumOfRuns}'s order for this many lanes. */
    private static float inLanes(float[][] runs, int lanes) {
        float[] lane = new float[lanes];
        for (float[] terms : runs) {
            int whole = terms.length / lanes * lanes;
            for (int i = 0; i < whole; i++) {
                lane[i % lanes] += terms[i];
            }
        }
        float r = lane[0];
        for (int j = 1; j < lanes; j++) {
            r += lane[j];
        }
        for (float[] terms : runs) {
            for (int i = terms.length / lanes * lanes; i < terms.length; i++) {
                r += terms[i];
            }
        }
        return r;
    }

    /**
     * Both sums over several runs against their definition, with runs {@code n + 3} floats apart: the floats
     * between the runs are huge, so a read of one shows, and the inputs are finite, so the order of the additions
     * shows in the bits.
     */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void sumsOfRunsAddTheirLanesInTheDefinedOrder(String name, int n) {
        FloatLoops loops = loops(name);
        int stride = n + 3;
        for (int runs : new int[] {1, 2, 5}) {
            float[] a = new float[2 + runs * stride];
            float[] b = new float[5 + runs * stride];
            Arrays.fill(a, 1e30f);
            Arrays.fill(b, -1e30f);
            float[][] plain = new float[runs][n];
            float[][] products = new float[runs][n];
            for (int r = 0; r < runs; r++) {
                for (int i = 0; i < n; i++) {
                    a[2 + r * stride + i] = (float) (random.nextDouble() * 4 - 2);
                    b[5 + r * stride + i] = (float) (random.nextDouble() * 4 - 2);
                    plain[r][i] = a[2 + r * stride + i];
                    products[r][i] = (a[2 + r * stride + i] - 0.5f) * (b[5 + r * stride + i] + 1f);
                }
            }
            String what = name + " " + runs + " runs";
            assertSameBits(new float[] {inLanes(plain, loops.sumLanes())},
                    new float[] {loops.sumOfRuns(a, 2, n, runs, stride)}, what + " sumOfRuns");
            assertSameBits(new float[] {inLanes(products, loops.sumLanes())},
                    new float[] {loops.sumOfProductsOfRuns(a, 2, 0.5f, b, 5, -1f, n, runs, stride)},
                    what + " sumOfProductsOfRuns");
        }
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void relu(String name, int n) {
        FloatLoops loops = loops(name);
        int xo = 3;
        int yo = 6;
        int dyo = 1;
        float[] x = values(xo, n);
        float[] dy = values(dyo, n);
        float[] y = poisoned(yo + n + 2);
        float[] dx = poisoned(yo + n + 2);
        float[] expectedY = poisoned(y.length);
        float[] expectedDx = poisoned(dx.length);
        for (int i = 0; i < n; i++) {
            expectedY[yo + i] = Math.max(x[xo + i], 0f);
            expectedDx[yo + i] = x[xo + i] > 0f ? dy[dyo + i] : 0f;
        }
        loops.reluForward(x, xo, y, yo, n);
        loops.reluBackward(x, xo, dy, dyo, dx, yo, n);
        assertSameBits(expectedY, y, name + " relu forward");
        assertSameBits(expectedDx, dx, name + " relu backward");
    }

    /**
     * Every op, on random values and on values from a few levels (ties, NaN against NaN, -0 against 0), with b an
     * array and a scalar (among them 0, -0, NaN and a level), and in place.
     */
    @ParameterizedTest(name = "{0} {1} n={2}")
    @MethodSource("zipCases")
    void zip(String name, BinaryOp op, int n) {
        FloatLoops loops = loops(name);
        for (boolean fewLevels : new boolean[] {false, true}) {
            String what = name + " " + op + (fewLevels ? " of levels" : "");
            float[] a = fewLevels ? levels(2, n) : values(2, n);
            float[] b = fewLevels ? levels(5, n) : values(5, n);
            float[] out = poisoned(n + 9);
            float[] expected = poisoned(out.length);
            for (int i = 0; i < n; i++) {
                expected[4 + i] = apply(op, a[2 + i], b[5 + i]);
            }
            loops.zip(op, a, 2, b, 5, out, 4, n);
            assertSameBits(expected, out, what);

            for (float shift : new float[] {0.375f, 0f, -0f, 1f, Float.NaN, Float.POSITIVE_INFINITY}) {
                float[] expectedScalar = poisoned(out.length);
                float[] outScalar = poisoned(out.length);
                for (int i = 0; i < n; i++) {
                    expectedScalar[4 + i] = apply(op, a[2 + i], shift);
                }
                loops.zipScalar(op, a, 2, shift, outScalar, 4, n);
                assertSameBits(expectedScalar, outScalar, what + " scalar " + shift);
            }

            float[] accumulated = a.clone();
            float[] expectedSum = a.clone();
            for (int i = 0; i < n; i++) {
                expectedSum[2 + i] = apply(op, a[2 + i], b[5 + i]);
            }
            loops.zip(op, accumulated, 2, b, 5, accumulated, 2, n);
            assertSameBits(expectedSum, accumulated, what + " in place");
        }
    }

    /** A copy moves every float bit for bit, special values and NaN payloads included, and nothing around them. */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void copy(String name, int n) {
        float[] src = values(4, n);
        src[4 + n / 2] = Float.intBitsToFloat(0x7fc01234);
        float[] expected = poisoned(n + 7);
        System.arraycopy(src, 4, expected, 2, n);
        float[] out = poisoned(n + 7);
        loops(name).copy(src, 4, out, 2, n);
        assertSameBits(expected, out, name + " copy");
    }

    /** An addition into dst adds every float once, rounded as a + b, and touches nothing around them. */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void addTo(String name, int n) {
        float[] src = values(4, n);
        float[] dst = values(2, n);
        float[] expected = dst.clone();
        for (int i = 0; i < n; i++) {
            expected[2 + i] = dst[2 + i] + src[4 + i];
        }
        loops(name).addTo(src, 4, dst, 2, n);
        assertSameBits(expected, dst, name + " addTo");
    }

    /**
     * The sum clamped at 0 as Math.max takes it (NaN kept, -0 up to 0), into a fresh array and into either
     * addend, with the specials among the values.
     */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void addRelu(String name, int n) {
        FloatLoops loops = loops(name);
        float[] a = values(3, n);
        float[] b = values(1, n);
        float[] expected = poisoned(n + 8);
        for (int i = 0; i < n; i++) {
            expected[5 + i] = Math.max(a[3 + i] + b[1 + i], 0f);
        }
        float[] out = poisoned(n + 8);
        loops.addRelu(a, 3, b, 1, out, 5, n);
        assertSameValues(expected, out, name + " addRelu");

        float[] intoA = a.clone();
        loops.addRelu(intoA, 3, b, 1, intoA, 3, n);
        assertSameValues(Arrays.copyOfRange(expected, 5, 5 + n), Arrays.copyOfRange(intoA, 3, 3 + n),
                name + " addRelu into a");
        float[] intoB = b.clone();
        loops.addRelu(a, 3, intoB, 1, intoB, 1, n);
        assertSameValues(Arrays.copyOfRange(expected, 5, 5 + n), Arrays.copyOfRange(intoB, 1, 1 + n),
                name + " addRelu into b");
    }

    /** A kernel of a block of output planes of a direct convolution, as {@link FloatLoops#convolveFour}. */
    private interface Convolve {
        void planes(FloatLoops loops, float[] x, int xo, int[] offsets, int taps, float[] w, int wo, float[] out,
                    int oo, int ldo, int n);
    }

    static Stream<Arguments> convolveCases() {
        return cases().flatMap(c -> Stream.of(
                Arguments.of(c.get()[0], c.get()[1], 4, (Convolve) FloatLoops::convolveFour),
                Arguments.of(c.get()[0], c.get()[1], 3, (Convolve) FloatLoops::convolveThree)));
    }

    /**
     * Four or three planes of a direct convolution bit for bit against their definition (fused multiply-adds in
     * tap order), with taps that overlap and run backwards, and nothing written outside the planes' first n floats.
     */
    @ParameterizedTest(name = "{0} n={1}, {2} planes")
    @MethodSource("convolveCases")
    void convolveBlocks(String name, int n, int planes, Convolve kernel) {
        int[] offsets = {7, 0, 3, 12, 5};
        int taps = offsets.length;
        float[] x = values(2, n + 12);
        float[] w = values(3, planes * taps);
        int ldo = n + 3;
        float[] expected = poisoned(planes * ldo + 6);
        for (int r = 0; r < planes; r++) {
            for (int q = 0; q < n; q++) {
                float sum = 0f;
                for (int t = 0; t < taps; t++) {
                    sum = Math.fma(w[3 + r * taps + t], x[2 + offsets[t] + q], sum);
                }
                expected[5 + r * ldo + q] = sum;
            }
        }
        float[] out = poisoned(planes * ldo + 6);
        kernel.planes(loops(name), x, 2, offsets, taps, w, 3, out, 5, ldo, n);
        assertSameBits(expected, out, name + " " + planes + " planes");
    }

    /**
     * Winograd's input transform bit for bit (any NaN for a NaN) against its definition ({@code B^T d B}, the rows
     * of d first, in the documented order), with d read from four phase planes at two shifts, and nothing written
     * but the sixteen elements' first n floats.
     */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void winogradInput(String name, int n) {
        int phaseStride = n + 9;
        int rowShift = 5;
        float[] x = values(3, 4 * phaseStride);
        int elementStride = n + 2;
        float[] expected = poisoned(16 * elementStride + 4);
        for (int t = 0; t < n; t++) {
            float[][] d = new float[4][4];
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 4; c++) {
                    d[r][c] = x[3 + (2 * (r % 2) + c % 2) * phaseStride + (r / 2) * rowShift + c / 2 + t];
                }
            }
            for (int j = 0; j < 4; j++) {
                float[] h = new float[4];
                for (int r = 0; r < 4; r++) {
                    float[] row = d[r];
                    h[r] = j == 0 ? row[0] - row[2] : j == 1 ? row[1] + row[2] : j == 2 ? row[2] - row[1]
                            : row[1] - row[3];
                }
                expected[1 + j * elementStride + t] = h[0] - h[2];
                expected[1 + (4 + j) * elementStride + t] = h[1] + h[2];
                expected[1 + (8 + j) * elementStride + t] = h[2] - h[1];
                expected[1 + (12 + j) * elementStride + t] = h[1] - h[3];
            }
        }
        float[] v = poisoned(16 * elementStride + 4);
        loops(name).winogradInput(x, 3, phaseStride, rowShift, v, 1, elementStride, n);
        assertSameValues(expected, v, name + " winogradInput");
    }

    /**
     * Winograd's output transform bit for bit (any NaN for a NaN) against its definition ({@code A^T M A}: the
     * columns' sums and differences, then theirs, each added left to right), and nothing written but the four
     * outputs' first n floats.
     */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void winogradOutput(String name, int n) {
        int elementStride = n + 3;
        float[] m = values(2, 16 * elementStride);
        int outputStride = n + 1;
        float[] expected = poisoned(4 * outputStride + 5);
        for (int t = 0; t < n; t++) {
            float[] sums = new float[4];
            float[] differences = new float[4];
            for (int j = 0; j < 4; j++) {
                int at = 2 + j * elementStride + t;
                sums[j] = m[at] + m[at + 4 * elementStride] + m[at + 8 * elementStride];
                differences[j] = m[at + 4 * elementStride] - m[at + 8 * elementStride] - m[at + 12 * elementStride];
            }
            expected[4 + t] = sums[0] + sums[1] + sums[2];
            expected[4 + outputStride + t] = sums[1] - sums[2] - sums[3];
            expected[4 + 2 * outputStride + t] = differences[0] + differences[1] + differences[2];
            expected[4 + 3 * outputStride + t] = differences[1] - differences[2] - differences[3];
        }
        float[] y = poisoned(4 * outputStride + 5);
        loops(name).winogradOutput(m, 2, elementStride, y, 4, outputStride, n);
        assertSameValues(expected, y, name + " winogradOutput");
    }

    /**
     * A run split into its even and odd floats bit for bit, with a room of 5 floats past each output that may be
     * overwritten and nothing written beyond it.
     */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void splitPairs(String name, int n) {
        int room = 5;
        float[] x = values(3, n + 2 * room + 1);
        int evenCount = (n + 1) / 2;
        int oddCount = n / 2;
        float[] evens = poisoned(evenCount + room + 4);
        float[] odds = poisoned(oddCount + room + 3);
        loops(name).splitPairs(x, 3, n, evens, 2, odds, 1, room);
        for (int i = 0; i < evens.length; i++) {
            int k = i - 2;
            if (k >= 0 && k < evenCount) {
                assertSameBits(new float[] {x[3 + 2 * k]}, new float[] {evens[i]}, name + " even " + k);
            } else if (k < 0 || k >= evenCount + room) {
                assertEquals(POISON, Float.floatToRawIntBits(evens[i]), name + ": evens written at " + i);
            }
        }
        for (int i = 0; i < odds.length; i++) {
            int k = i - 1;
            if (k >= 0 && k < oddCount) {
                assertSameBits(new float[] {x[3 + 2 * k + 1]}, new float[] {odds[i]}, name + " odd " + k);
            } else if (k < 0 || k >= oddCount + room) {
                assertEquals(POISON, Float.floatToRawIntBits(odds[i]), name + ": odds written at " + i);
            }
        }
    }

    /** Two runs interleaved bit for bit, with a room of 7 floats past the output that may be overwritten. */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void interleavePairs(String name, int n) {
        int room = 7;
        float[] a = values(2, n);
        float[] b = values(4, n);
        float[] out = poisoned(n + room + 6);
        loops(name).interleavePairs(a, 2, b, 4, out, 3, n, room);
        for (int i = 0; i < out.length; i++) {
            int k = i - 3;
            if (k >= 0 && k < n) {
                float expected = k % 2 == 0 ? a[2 + k / 2] : b[4 + k / 2];
                assertSameBits(new float[] {expected}, new float[] {out[i]}, name + " output " + k);
            } else if (k < 0 || k >= n + room) {
                assertEquals(POISON, Float.floatToRawIntBits(out[i]), name + ": written at " + i);
            }
        }
    }

    /** A kernel of the sums of a block of planes of dy by taps, as {@link FloatLoops#correlateFour}. */
    private interface Correlate {
        void sums(FloatLoops loops, float[] dy, int dyo, int ldy, float[] x, int xo, int[] offsets, int to,
                  float[] sums, int so, int n);
    }

    static Stream<Arguments> correlateCases() {
        return cases().flatMap(c -> Stream.of(
                Arguments.of(c.get()[0], c.get()[1], 4, 4, (Correlate) FloatLoops::correlateFour),
                Arguments.of(c.get()[0], c.get()[1], 3, 5, (Correlate) FloatLoops::correlateThreeByFive)));
    }

    /**
     * The sums of a direct convolution's weight gradient, four planes by four taps or three by five, against the
     * definition in double precision (their order of addition is the implementation's), repeatable bit for bit,
     * and nothing else written.
     */
    @ParameterizedTest(name = "{0} n={1}, {2} planes by {3} taps")
    @MethodSource("correlateCases")
    void correlateBlocks(String name, int n, int planes, int taps, Correlate kernel) {
        int[] offsets = {9, 9, 4, 0, 7, 2, 5};
        int ldy = n + 2;
        float[] dy = finite(1 + planes * ldy);
        float[] x = finite(3 + n + 9);
        int end = 2 + planes * taps;
        float[] sums = poisoned(end + 2);
        kernel.sums(loops(name), dy, 1, ldy, x, 3, offsets, 1, sums, 2, n);
        for (int r = 0; r < planes; r++) {
            for (int t = 0; t < taps; t++) {
                double expected = 0;
                double magnitude = 0;
                for (int q = 0; q < n; q++) {
                    double term = (double) dy[1 + r * ldy + q] * x[3 + offsets[1 + t] + q];
                    expected += term;
                    magnitude += Math.abs(term);
                }
                assertEquals(expected, sums[2 + taps * r + t], 1e-6 * (1 + magnitude),
                        name + " sum " + r + ", " + t);
            }
        }
        assertSameBits(poisoned(2), Arrays.copyOf(sums, 2), name + " before the sums");
        assertSameBits(poisoned(2), Arrays.copyOfRange(sums, end, end + 2), name + " after the sums");
        float[] again = poisoned(end + 2);
        kernel.sums(loops(name), dy, 1, ldy, x, 3, offsets, 1, again, 2, n);
        assertSameBits(sums, again, name + " twice");
    }

    static Stream<Arguments> channelBlocks() {
        return Stream.of(VECTOR, SCALAR).flatMap(name -> Stream.of(1, 2, 4).map(v -> Arguments.of(name, v)));
    }

    /**
     * Sums of products with the channels side by side against their definition, bit for bit (special values among
     * the inputs; any NaN for a NaN): sixteen, eight or four starts by one, two or four of the vector version's
     * vectors of channels, steps in any order, added to what sums held, nothing else written.
     */
    @ParameterizedTest(name = "{0}, {1} vectors of channels")
    @MethodSource("channelBlocks")
    void laneProductsAddTheDefinedSums(String name, int vectors) {
        FloatLoops loops = loops(name);
        FloatLoops vector = VectorLoops.createIfUseful();
        int channels = vectors * (vector != null ? vector.lanes() : 8);
        int count = 16 / vectors;
        int[] starts = new int[1 + count];
        for (int a = 1; a <= count; a++) {
            starts[a] = random.nextInt(12);
        }
        int[] steps = {21, 3, 0, 17, 40, 8, 8, 33, 2, 29, 11, 5, 36, 14, 25};
        float[] x = values(0, 12 + 40);
        int ldm = channels + 3;
        float[] m = values(0, 2 + steps.length * ldm);
        int lds = channels + 1;
        float[] sums = finite(3 + count * lds + 2);
        float[] expected = sums.clone();
        for (int a = 0; a < count; a++) {
            for (int c = 0; c < channels; c++) {
                float sum = 0f;
                for (int r = 0; r < steps.length; r++) {
                    sum = Math.fma(x[starts[1 + a] + steps[r]], m[2 + r * ldm + c], sum);
                }
                expected[3 + a * lds + c] += sum;
            }
        }
        loops.laneProducts(x, starts, 1, count, steps, steps.length, m, 2, ldm, channels, sums, 3, lds);
        assertSameValues(expected, sums, name + " laneProducts");
    }

    /** The vector version takes only the blocks it keeps in registers, and says which. */
    @Test
    void laneProductsRefuseABlockWithoutAKernel() {
        FloatLoops loops = loops(VECTOR);
        int lanes = loops.lanes();
        float[] any = new float[64 * lanes];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loops.laneProducts(any,
                new int[8], 0, 8, new int[1], 1, any, 0, lanes, lanes, any, 0, lanes));
        assertTrue(e.getMessage().contains("not 8 by " + lanes), e.getMessage());
    }

    /**
     * Sums of products with a row in a vector's lanes against their definition, bit for bit (special values among
     * the inputs; any NaN for a NaN): two rows by six channels, steps anywhere in rows and weights, in any order,
     * added to what sums held, nothing else written.
     */
    @ParameterizedTest
    @ValueSource(strings = {VECTOR, SCALAR})
    void rowPairProductsAddTheDefinedSums(String name) {
        FloatLoops loops = loops(name);
        int lanes = loops.lanes();
        int channels = FloatLoops.ROW_CHANNELS;
        int rowStride = lanes + 5;
        int[] rowAt = {-1, 9, 3, 27, 14, 3, 40, 22, 1, 35, 8};
        int[] weightAt = {-1, 12, 0, 30, 7, 7, 2, 25, 18, 1, 40};
        int n = rowAt.length - 1;
        float[] rows = values(0, 2 + 40 + rowStride + lanes);
        float[] w = values(0, 3 + 40 + channels);
        float[] sums = finite(4 + 2 * channels * lanes + 3);
        float[] expected = sums.clone();
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < channels; c++) {
                for (int q = 0; q < lanes; q++) {
                    float sum = 0f;
                    for (int s = 1; s <= n; s++) {
                        sum = Math.fma(w[3 + weightAt[s] + c], rows[2 + rowAt[s] + r * rowStride + q], sum);
                    }
                    expected[4 + (r * channels + c) * lanes + q] += sum;
                }
            }
        }
        loops.rowPairProducts(rows, 2, rowAt, rowStride, w, 3, weightAt, 1, n, channels, sums, 4);
        assertSameValues(expected, sums, name + " rowPairProducts");
    }

    /**
     * Sums of products with images in a vector's lanes against their definition, bit for bit (special values among
     * the inputs; any NaN for a NaN): four channels by five pixels, taps anywhere in the image and in any order,
     * sums written at their places and nothing else.
     */
    @ParameterizedTest
    @ValueSource(strings = {VECTOR, SCALAR})
    void imageProductsWriteTheDefinedSums(String name) {
        FloatLoops loops = loops(name);
        int lanes = loops.lanes();
        int[] xAt = {7 * lanes, 0, 30 * lanes, 3, 12 * lanes + 1, 12 * lanes + 1, 21 * lanes, 2 * lanes};
        int taps = xAt.length;
        float[] x = values(0, 2 + 30 * lanes + 4 + FloatLoops.IMAGE_PIXELS * lanes);
        float[] w = values(0, 3 + FloatLoops.IMAGE_CHANNELS * taps);
        int lds = FloatLoops.IMAGE_PIXELS * lanes + 3;
        float[] sums = poisoned(5 + FloatLoops.IMAGE_CHANNELS * lds);
        float[] expected = sums.clone();
        for (int c = 0; c < FloatLoops.IMAGE_CHANNELS; c++) {
            for (int p = 0; p < FloatLoops.IMAGE_PIXELS * lanes; p++) {
                float sum = 0f;
                for (int t = 0; t < taps; t++) {
                    sum = Math.fma(w[3 + c * taps + t], x[2 + xAt[t] + p], sum);
                }
                expected[5 + c * lds + p] = sum;
            }
        }
        loops.imageProducts(x, 2, xAt, w, 3, taps, sums, 5, lds);
        assertSameValues(expected, sums, name + " imageProducts");
    }

    /**
     * Sums of products for a weight gradient with images in a vector's lanes against their definition, bit for bit
     * (special values among the inputs; any NaN for a NaN): four channels by five taps, taps and pixels anywhere in
     * the image and in any order, added to what sums held, nothing else written.
     */
    @ParameterizedTest
    @ValueSource(strings = {VECTOR, SCALAR})
    void imageGradientProductsAddTheDefinedSums(String name) {
        FloatLoops loops = loops(name);
        int lanes = loops.lanes();
        int[] xAt = {-1, 9 * lanes, 0, 3 * lanes + 2, 3 * lanes + 2, 14 * lanes};
        int[] pixelAt = {5 * lanes, 0, 2 * lanes + 1, 11 * lanes, 7};
        int n = pixelAt.length;
        int ldy = n * lanes + 2;
        float[] dy = values(0, 4 + FloatLoops.IMAGE_CHANNELS * ldy);
        float[] x = values(0, 3 + 26 * lanes + 3);
        int blockFloats = FloatLoops.IMAGE_CHANNELS * FloatLoops.IMAGE_TAPS * lanes;
        float[] sums = finite(6 + blockFloats + 2);
        float[] expected = sums.clone();
        for (int c = 0; c < FloatLoops.IMAGE_CHANNELS; c++) {
            for (int t = 0; t < FloatLoops.IMAGE_TAPS; t++) {
                for (int q = 0; q < lanes; q++) {
                    float sum = 0f;
                    for (int r = 0; r < n; r++) {
                        sum = Math.fma(dy[4 + c * ldy + r * lanes + q], x[3 + xAt[1 + t] + pixelAt[r] + q], sum);
                    }
                    expected[6 + (c * FloatLoops.IMAGE_TAPS + t) * lanes + q] += sum;
                }
            }
        }
        loops.imageGradientProducts(dy, 4, ldy, x, 3, xAt, 1, pixelAt, n, sums, 6);
        assertSameValues(expected, sums, name + " imageGradientProducts");
    }

    /**
     * Images gathered into lanes and scattered back against their definitions, for every count of images a group
     * may have: missing images' lanes zero, nothing else written.
     */
    @ParameterizedTest
    @ValueSource(strings = {VECTOR, SCALAR})
    void imagesGoIntoLanesAndBack(String name) {
        FloatLoops loops = loops(name);
        int lanes = loops.lanes();
        int n = 11;
        int stride = 13;
        int[] imageAt = new int[lanes];
        for (int q = 0; q < lanes; q++) {
            imageAt[q] = q * stride;
        }
        float[] x = values(0, 4 + lanes * stride);
        for (int images = 0; images <= lanes; images++) {
            float[] gathered = poisoned(3 + n * lanes + 2);
            float[] expected = gathered.clone();
            for (int p = 0; p < n; p++) {
                for (int q = 0; q < lanes; q++) {
                    expected[3 + p * lanes + q] = q < images ? x[4 + imageAt[q] + p] : 0f;
                }
            }
            loops.gatherImages(x, 4, imageAt, images, gathered, 3, n);
            assertSameBits(expected, gathered, name + " gatherImages of " + images);
            float[] scattered = poisoned(x.length);
            float[] back = scattered.clone();
            for (int q = 0; q < images; q++) {
                System.arraycopy(x, 4 + imageAt[q], back, 4 + imageAt[q], n);
            }
            loops.scatterImages(gathered, 3, scattered, 4, imageAt, images, n);
            assertSameBits(back, scattered, name + " scatterImages of " + images);
        }
    }

    /** The vector version takes only the channels it keeps in registers, and says so. */
    @Test
    void rowPairProductsRefuseOtherChannels() {
        FloatLoops loops = loops(VECTOR);
        float[] any = new float[64 * loops.lanes()];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loops.rowPairProducts(any,
                0, new int[1], loops.lanes(), any, 0, new int[1], 0, 1, 4, any, 0));
        assertTrue(e.getMessage().contains("not 4"), e.getMessage());
    }

    /** Floats in [-2, 2), none special: sums of them can be checked against a tolerance. */
    private float[] finite(int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = (float) (random.nextDouble() * 4 - 2);
        }
        return a;
    }

    /**
     * The affine loops (with ReLU too) bit for bit against their definition, special values among the inputs, and
     * in place.
     */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void affine(String name, int n) {
        FloatLoops loops = loops(name);
        float[] x = values(3, n);
        float[] y = values(1, n);
        float shift = 0.625f;
        float scale = -1.75f;
        float yScale = 0.3f;
        float offset = 0.125f;
        float[] expected = poisoned(n + 8);
        float[] expectedRelu = poisoned(n + 8);
        float[] expectedSum = poisoned(n + 8);
        for (int i = 0; i < n; i++) {
            expected[5 + i] = (x[3 + i] - shift) * scale + offset;
            expectedRelu[5 + i] = Math.max(expected[5 + i], 0f);
            expectedSum[5 + i] = (x[3 + i] - shift) * scale + y[1 + i] * yScale + offset;
        }
        float[] out = poisoned(n + 8);
        loops.affine(x, 3, shift, scale, offset, out, 5, n);
        assertSameBits(expected, out, name + " affine");
        float[] outRelu = poisoned(n + 8);
        loops.affineRelu(x, 3, shift, scale, offset, outRelu, 5, n);
        assertSameBits(expectedRelu, outRelu, name + " affine with ReLU");
        float[] outSum = poisoned(n + 8);
        loops.affineSum(x, 3, shift, scale, y, 1, yScale, offset, outSum, 5, n);
        assertSameBits(expectedSum, outSum, name + " affine sum");

        float[] inPlace = y.clone();
        float[] expectedInPlace = y.clone();
        for (int i = 0; i < n; i++) {
            expectedInPlace[1 + i] = (x[3 + i] - shift) * scale + y[1 + i] * yScale + offset;
        }
        loops.affineSum(x, 3, shift, scale, inPlace, 1, yScale, offset, inPlace, 1, n);
        assertSameBits(expectedInPlace, inPlace, name + " affine sum into y");
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void sgdMomentum(String name, int n) {
        FloatLoops loops = loops(name);
        float lr = 0.05f;
        float mu = 0.9f;
        float wd = 0.001f;
        for (boolean nesterov : new boolean[] {false, true}) {
            float[] p = values(1, n);
            float[] g = values(4, n);
            float[] v = values(2, n);
            float[] expectedP = p.clone();
            float[] expectedV = v.clone();
            float[] expectedG = g.clone();
            for (int i = 0; i < n; i++) {
                float grad = g[4 + i] + wd * p[1 + i];
                float vel = mu * v[2 + i] + grad;
                expectedV[2 + i] = vel;
                expectedP[1 + i] = p[1 + i] - lr * (nesterov ? grad + mu * vel : vel);
                expectedG[4 + i] = 0f;
            }
            loops.sgdMomentum(p, 1, g, 4, v, 2, n, lr, mu, wd, nesterov);
            assertSameBits(expectedP, p, name + " sgd parameter, Nesterov " + nesterov);
            assertSameBits(expectedV, v, name + " sgd velocity, Nesterov " + nesterov);
            assertSameBits(expectedG, g, name + " sgd gradient, zeroed, Nesterov " + nesterov);
        }
    }

    static Stream<Arguments> planes() {
        int[][] sizes = {{2, 2}, {28, 28}, {11, 9}, {10, 10}, {14, 34}, {3, 33}, {6, 40}, {5, 17}, {4, 6}, {7, 3}};
        return Stream.of(VECTOR, SCALAR).flatMap(name -> Arrays.stream(sizes)
                .flatMap(hw -> Stream.of(1, 3).flatMap(planes -> Stream.of(false, true)
                        .map(special -> Arguments.of(name, hw[0], hw[1], planes, special)))));
    }

    /**
     * Planes, at an offset, of 2x2 max pooling at stride 2: widths below and above a vector, odd ones, rows
     * narrower than half a vector, ties (values from a few levels) and, optionally, NaN and signed zeros, against
     * the first-maximum rule. y and dx have but a few floats past the planes, x a few more, and the gradients come
     * in a longer dy and in one that ends with the planes.
     */
    @ParameterizedTest(name = "{0} {3} planes of {1}x{2}, special values {4}")
    @MethodSource("planes")
    void maxPoolTwoByTwo(String name, int h, int w, int planes, boolean special) {
        FloatLoops loops = loops(name);
        int in = 5;
        int out = 3;
        int size = planes * h * w;
        float[] x = new float[in + size + 7];
        for (int i = 0; i < x.length; i++) {
            x[i] = special && random.nextInt(6) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)]
                    : random.nextInt(4) * 0.5f;
        }
        int outH = h / 2;
        int outW = w / 2;
        int outSize = planes * outH * outW;
        float[] dyWithSlack = values(out, outSize + 32);
        float[] expectedY = poisoned(out + outSize + 4);
        float[] expectedDx = poisoned(in + size + 4);
        Arrays.fill(expectedDx, in, in + size, 0f);
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    int best = -1;
                    for (int at : new int[] {0, 1, w, w + 1}) {
                        int i = in + p * h * w + 2 * oy * w + 2 * ox + at;
                        if (best < 0 || x[i] > x[best]) {
                            best = i;
                        }
                    }
                    int o = out + (p * outH + oy) * outW + ox;
                    expectedY[o] = x[best];
                    expectedDx[best] = dyWithSlack[o] + 0f;
                }
            }
        }
        float[] y = poisoned(expectedY.length);
        loops.maxPoolForward(x, in, h, w, y, out, planes);
        assertSameBits(expectedY, y, name + " max pool forward");
        // dy with floats past its planes (read, unused, by whole vectors) and dy ending with the planes
        for (float[] dy : List.of(dyWithSlack, Arrays.copyOf(dyWithSlack, out + outSize))) {
            float[] dx = poisoned(expectedDx.length);
            loops.maxPoolBackward(x, in, h, w, dy, out, dx, in, planes);
            assertSameBits(expectedDx, dx, name + " max pool backward, dy of " + dy.length);
        }
    }

    static Stream<Arguments> foldRows() {
        // kw, outW, padding, w: LeNet's second convolution, padded rows, rows wider than a vector, one column
        int[][] shapes = {{5, 10, 0, 14}, {5, 28, 2, 28}, {3, 7, 1, 7}, {3, 15, 1, 15}, {2, 16, 0, 17}, {1, 1, 0, 1},
            {7, 4, 3, 4}};
        return Stream.of(VECTOR, SCALAR).flatMap(name -> Arrays.stream(shapes)
                .flatMap(k -> Stream.of(0, 3, 40).map(room -> Arguments.of(name, k[0], k[1], k[2], k[3], room))));
    }

    /**
     * One image row of col2im, against adding the runs one kernel column after another; the row sits inside a
     * longer array (room floats of it past the row may be rewritten, unchanged) and the column runs start near
     * the ends of theirs, so that vectors would reach outside.
     */
    @ParameterizedTest(name = "{0} kw={1} outW={2} padding={3} w={4} room={5}")
    @MethodSource("foldRows")
    void foldRow(String name, int kw, int outW, int padding, int w, int extra) {
        FloatLoops loops = loops(name);
        int jStride = outW + 3;
        for (int first : new int[] {0, 2, 4 * jStride}) {
            float[] columns = values(0, first + kw * jStride);
            int row = 7;
            float[] image = values(row, w + 40);
            float[] expected = image.clone();
            for (int j = 0; j < kw; j++) {
                for (int ox = 0; ox < outW; ox++) {
                    int x = ox + j - padding;
                    if (x >= 0 && x < w) {
                        expected[row + x] += columns[first + j * jStride + ox];
                    }
                }
            }
            loops.foldRow(columns, first, jStride, kw, outW, padding, image, row, w, w + extra);
            assertSameBits(expected, image, name + " fold row from " + first);
        }
    }

    @Test
    void theBackendUsesTheVectorLoopsWhereTheModuleIsPresent() {
        assertTrue(VectorModule.present(),
                "the tests run with --add-modules jdk.incubator.vector (see the parent pom)");
        assumeTrue(VectorLoops.createIfUseful() != null,
                "the Vector API has no hardware vectors of 8 floats or more on this machine");
        assertEquals("Vector API (" + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit)",
                FloatLoops.IN_USE.describe());
    }

    @Test
    void usesThePlainLoopsAndRunsInlineOnOneCoreWithoutTheModule() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-XX:ActiveProcessorCount=1", "-cp",
                System.getProperty("java.class.path"), PlainJvm.class.getName())
                .redirectErrorStream(true)
                .start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish within 60 s");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("element-wise loops: scalar"), output);
        assertTrue(output.contains("threads: 1"), output);
        assertTrue(output.contains("vector api: off: " + VectorModule.MISSING), output);
        // Once in the line above, once in the one warning logged for two backends (in the JVM's language).
        assertEquals(2, output.split(Pattern.quote(VectorModule.MISSING), -1).length - 1, output);
        assertTrue(output.contains(PlainJvm.CORRECT), output);
    }
}
