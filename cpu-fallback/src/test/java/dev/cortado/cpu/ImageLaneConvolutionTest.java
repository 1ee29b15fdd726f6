package dev.cortado.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ImageLaneConvolution}'s forward pass and weight gradient against the definition in double precision,
 * called directly so that the shapes its rule leaves to other paths are covered too: batches that do not fill the
 * last vector of images, output channels that do not fill the last block of four, rows that do not fill the last
 * block of five pixels, taps that do not fill the last block of five, padding, at offsets into the arrays. The forward pass's output is NaN-poisoned around and inside, so a missed or
 * stray write shows; the weight gradient is added to random values, with more after it.
 */
class ImageLaneConvolutionTest {
    /** (batch, channels, size, kernel, padding, output channels). */
    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(64, 6, 14, 5, 0, 16),
                Arguments.of(19, 3, 9, 3, 1, 7),
                Arguments.of(1, 2, 6, 5, 2, 5),
                Arguments.of(33, 4, 8, 1, 0, 3),
                Arguments.of(17, 5, 12, 4, 0, 9));
    }

    @ParameterizedTest(name = "batch {0}, {1} -> {5} channels, {2}x{2}, kernel {3}, padding {4}")
    @MethodSource("shapes")
    void forwardMatchesTheDefinition(int batch, int channels, int size, int kernel, int padding, int outChannels) {
        ConvSpec spec = new ConvSpec(new ConvGeometry(batch, channels, size, size, kernel, kernel, 1, padding, 1),
                outChannels, 1);
        ConvGeometry g = spec.geometry();
        SplittableRandom random = new SplittableRandom(batch * 31L + outChannels);
        float[] x = TestData.uniform(random, 3 + batch * channels * size * size, -1f, 1f);
        float[] w = TestData.uniform(random, 2 + outChannels * channels * kernel * kernel, -1f, 1f);
        int outPlane = g.outHeight() * g.outWidth();
        float[] y = new float[5 + batch * outChannels * outPlane + 4];
        Arrays.fill(y, Float.NaN);
        ImageLaneConvolution.forward(spec, x, 3, w, 2, y, 5);
        float[] expected = y.clone();
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < outChannels; o++) {
                for (int oy = 0; oy < g.outHeight(); oy++) {
                    for (int ox = 0; ox < g.outWidth(); ox++) {
                        double sum = 0;
                        for (int c = 0; c < channels; c++) {
                            for (int i = 0; i < kernel; i++) {
                                for (int j = 0; j < kernel; j++) {
                                    int iy = oy + i - padding;
                                    int ix = ox + j - padding;
                                    if (iy >= 0 && iy < size && ix >= 0 && ix < size) {
                                        sum += (double) w[2 + ((o * channels + c) * kernel + i) * kernel + j]
                                                * x[3 + ((n * channels + c) * size + iy) * size + ix];
                                    }
                                }
                            }
                        }
                        expected[5 + (n * outChannels + o) * outPlane + oy * g.outWidth() + ox] = (float) sum;
                    }
                }
            }
        }
        TestData.assertClose(expected, y, 1e-5, "image-lane convolution of " + spec);
    }

    @ParameterizedTest(name = "batch {0}, {1} -> {5} channels, {2}x{2}, kernel {3}, padding {4}")
    @MethodSource("shapes")
    void weightGradientAddsTheDefinition(int batch, int channels, int size, int kernel, int padding,
                                         int outChannels) {
        ConvSpec spec = new ConvSpec(new ConvGeometry(batch, channels, size, size, kernel, kernel, 1, padding, 1),
                outChannels, 1);
        ConvGeometry g = spec.geometry();
        SplittableRandom random = new SplittableRandom(batch * 17L + channels);
        float[] x = TestData.uniform(random, 3 + batch * channels * size * size, -1f, 1f);
        int outPlane = g.outHeight() * g.outWidth();
        float[] dy = TestData.uniform(random, 4 + batch * outChannels * outPlane, -1f, 1f);
        int taps = channels * kernel * kernel;
        float[] dw = TestData.uniform(random, 2 + outChannels * taps + 3, -1f, 1f);
        float[] expected = dw.clone();
        for (int o = 0; o < outChannels; o++) {
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < kernel; i++) {
                    for (int j = 0; j < kernel; j++) {
                        double sum = 0;
                        for (int n = 0; n < batch; n++) {
                            for (int oy = 0; oy < g.outHeight(); oy++) {
                                for (int ox = 0; ox < g.outWidth(); ox++) {
                                    int iy = oy + i - padding;
                                    int ix = ox + j - padding;
                                    if (iy >= 0 && iy < size && ix >= 0 && ix < size) {
                                        sum += (double) dy[4 + (n * outChannels + o) * outPlane + oy * g.outWidth()
                                                + ox] * x[3 + ((n * channels + c) * size + iy) * size + ix];
                                    }
                                }
                            }
                        }
                        expected[2 + o * taps + (c * kernel + i) * kernel + j] += (float) sum;
                    }
                }
            }
        }
        ImageLaneConvolution.backwardWeight(spec, x, 3, dy, 4, dw, 2);
        TestData.assertClose(expected, dw, 1e-4, "image-lane weight gradient of " + spec);
    }

    /** The rule: LeNet-5's second convolution at batch 64 where vectors hold 16 floats; never a lone image. */
    @ParameterizedTest(name = "batch {0}")
    @CsvSource({"1", "64"})
    void servesOnlyWhereTheLanesAreFull(int batch) {
        ConvSpec spec = new ConvSpec(new ConvGeometry(batch, 6, 14, 14, 5, 5, 1, 0, 1), 16, 1);
        boolean wide = FloatLoops.IN_USE.lanes() >= 16;
        if (batch == 64 && wide) {
            assertTrue(ImageLaneConvolution.servesForward(spec));
        } else {
            assertFalse(ImageLaneConvolution.servesForward(spec), spec.toString());
        }
    }
}
