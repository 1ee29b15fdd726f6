package dev.cortado.cpu;

import static dev.cortado.cpu.TestData.poisoned;
import static dev.cortado.cpu.TestData.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.backend.Activation;
import dev.cortado.backend.PoolSpec;
import dev.cortado.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The branch-free loops of max pooling and of the ReLU family, bit for bit against the plain comparisons they
 * replace, on inputs full of NaN, signed zeros, infinities and ties: a window's first maximum wins (a NaN only in
 * first place), ReLU passes NaN forward, and the gradient is {@code x > 0 ? dy : 0}.
 */
class SpecialValuesTest {
    private static final float[] SPECIAL = {Float.NaN, -0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
        1f, -1f, 2f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, Float.intBitsToFloat(0xffc00001)};

    private final CpuBackend backend = new CpuBackend();
    private final SplittableRandom random = new SplittableRandom(5);

    @AfterEach
    void close() {
        backend.close();
    }

    private float[] special(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = SPECIAL[random.nextInt(SPECIAL.length)];
        }
        return values;
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
        }
    }

    static Stream<PoolSpec> maxPools() {
        return Stream.of(new PoolSpec(PoolSpec.Kind.MAX, 3, 5, 28, 28, 2, 2, 0), // 2x2 windows that tile
                new PoolSpec(PoolSpec.Kind.MAX, 2, 3, 11, 9, 2, 2, 0), // ... and leave an odd row and column
                new PoolSpec(PoolSpec.Kind.MAX, 2, 3, 13, 11, 3, 2, 1), // overlapping, with padding
                new PoolSpec(PoolSpec.Kind.MAX, 1, 4, 10, 10, 2, 1, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("maxPools")
    void maxPoolingKeepsTheFirstMaximumBitForBit(PoolSpec s) {
        float[] x = special((int) s.inputSize());
        float[] dy = special((int) s.outputSize());
        float[] expectedY = new float[dy.length];
        float[] expectedDx = new float[x.length];
        for (int p = 0; p < s.batch() * s.channels(); p++) {
            for (int oy = 0; oy < s.outHeight(); oy++) {
                for (int ox = 0; ox < s.outWidth(); ox++) {
                    int best = -1;
                    for (int i = 0; i < s.kernel(); i++) {
                        for (int j = 0; j < s.kernel(); j++) {
                            int iy = oy * s.stride() - s.padding() + i;
                            int ix = ox * s.stride() - s.padding() + j;
                            if (iy >= 0 && iy < s.height() && ix >= 0 && ix < s.width()) {
                                int at = (p * s.height() + iy) * s.width() + ix;
                                if (best < 0 || x[at] > x[best]) {
                                    best = at;
                                }
                            }
                        }
                    }
                    int o = (p * s.outHeight() + oy) * s.outWidth() + ox;
                    expectedY[o] = x[best];
                    expectedDx[best] += dy[o];
                }
            }
        }
        Tensor xt = upload(backend, x);
        Tensor y = poisoned(backend, dy.length);
        backend.poolForward(s, xt, y);
        assertSameBits(expectedY, y.toArray(), "forward " + s);
        Tensor dx = poisoned(backend, x.length);
        backend.poolBackward(s, xt, upload(backend, dy), dx);
        assertSameBits(expectedDx, dx.toArray(), "backward " + s);
    }

    @Test
    void reluFamilyMatchesTheComparisonsBitForBit() {
        int n = 100_003; // several chunks
        float alpha = 0.25f;
        float[] x = special(n);
        float[] dy = special(n);
        float[] relu = new float[n];
        float[] leaky = new float[n];
        float[] reluGrad = new float[n];
        float[] leakyGrad = new float[n];
        for (int i = 0; i < n; i++) {
            relu[i] = Math.max(x[i], 0f);
            leaky[i] = x[i] > 0f ? x[i] : alpha * x[i];
            reluGrad[i] = x[i] > 0f ? dy[i] : 0f;
            leakyGrad[i] = x[i] > 0f ? dy[i] : alpha * dy[i];
        }
        check(Activation.RELU, alpha, x, dy, relu, reluGrad);
        check(Activation.LEAKY_RELU, alpha, x, dy, leaky, leakyGrad);
    }

    private void check(Activation f, float alpha, float[] x, float[] dy, float[] expectedY, float[] expectedDx) {
        Tensor xt = upload(backend, x);
        Tensor y = poisoned(backend, x.length);
        backend.activationForward(f, alpha, xt, y);
        assertSameBits(expectedY, y.toArray(), f + " forward");
        Tensor dx = poisoned(backend, x.length);
        backend.activationBackward(f, alpha, xt, y, upload(backend, dy), dx);
        assertSameBits(expectedDx, dx.toArray(), f + " backward");
    }
}
