package dev.cortado.cpu;

import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
import java.util.Arrays;

/**
 * Convolution weight gradients with the output channels side by side in a vector's lanes. For each image, dy is laid
 * out pixel by pixel (a pixel's channels together) and the image copied inside a zero border; blocks of taps by
 * one, two or four vectors of channels then keep sixteen vectors of sums in registers while they walk the output
 * pixels ({@link FloatLoops#correlateChannels}): per pixel, each tap reads one float of the copy, broadcast across
 * the lanes, for one fused multiply-add per vector of channels. The column matrix's GEMM instead writes and reads
 * back kH*kW times the image, and the direct weight gradients ({@link DirectConvolution},
 * {@link WideDirectConvolution}) load a vector of dy and one of the image for every two multiply-adds and end each
 * block in sums across the lanes. A tap's pixels lie a fixed stride apart in the copy, so any stride, padding and
 * dilation runs the same loops.
 */
final class LaneWeightGradient {
    /**
     * Fewest taps ({@code C*kH*kW}): with fewer, copying the image and laying dy out again cost more than the
     * products save. Measured slower than the other paths at 9, 16, 27 and 32 taps (a grey or colour image's first
     * convolution, 1x1 projections), faster or as fast from 144 on.
     */
    private static final int MIN_TAPS = 64;
    /** Vectors of sums a block keeps in registers. */
    private static final int SUMS = 16;

    private LaneWeightGradient() {
    }

    /**
     * Whether spec's weight gradient is computed here: on hardware vectors ({@link FloatLoops#vectorized}),
     * ungrouped, with at least {@link #MIN_TAPS} taps and output channels that fill whole vectors.
     */
    static boolean serves(ConvSpec spec) {
        FloatLoops loops = FloatLoops.IN_USE;
        return loops.vectorized() && spec.groups() == 1 && spec.geometry().columnRows() >= MIN_TAPS
                && spec.outChannels() % loops.lanes() == 0;
    }

    /**
     * {@code dw += dL/dw}, as {@link dev.cortado.backend.Backend#convolutionBackwardWeight}: summed image by image
     * into parts of the batch fixed by the batch and thread count ({@link DirectConvolution#sumOverImages}).
     */
    static void backwardWeight(ConvSpec spec, float[] x, int xo, float[] dy, int dyo, float[] dw, int dwo) {
        Layout layout = new Layout(spec);
        ConvGeometry g = spec.geometry();
        int imageSize = (int) (g.imageSize() / g.batch());
        int outputSize = (int) (spec.outputSize() / g.batch());
        int outChannels = spec.outChannels();
        FloatLoops loops = FloatLoops.IN_USE;
        DirectConvolution.sumOverImages(g.batch(), spec.weightSize(), (first, end, partials, partial) -> {
            DirectScratch scratch = DirectScratch.ofThread();
            float[] copy = scratch.copy(layout.copyFloats);
            Arrays.fill(copy, 0, layout.copyFloats, 0f);
            float[] pixels = scratch.planes(outputSize);
            float[] sums = scratch.sums(layout.sumFloats);
            Arrays.fill(sums, 0, layout.sumFloats, 0f);
            for (int n = first; n < end; n++) {
                layout.copyInside(x, xo + n * imageSize, copy);
                layout.pixelMajor(dy, dyo + n * outputSize, pixels);
                for (int c = 0; c < outChannels; c += layout.blockChannels) {
                    for (int t = 0; t < layout.taps; t += layout.blockTaps) {
                        loops.correlateChannels(copy, layout.offsets, t, layout.blockTaps, g.outHeight(),
                                g.outWidth(), layout.rowStride, g.stride(), pixels, c, outChannels,
                                layout.blockChannels, sums, t * outChannels + c, outChannels);
                    }
                }
            }
            layout.addTransposed(sums, partials, partial);
        }, dw, dwo);
    }

    /**
     * How an image is copied and its taps read: plane c inside a border of p zeros, {@code (H + 2p) x (W + 2p)}
     * floats, tap {@code (c, i, j)} starting at its pixel {@code (i*d, j*d)}. The taps come in blocks of
     * {@link #blockTaps}, the last filled up with tap 0's offset, whose sums are dropped.
     */
    private static final class Layout {
        final int taps;
        final int blockChannels;
        final int blockTaps;
        final int[] offsets;
        final int rowStride;
        final int copyFloats;
        final int sumFloats;
        private final ConvGeometry g;
        private final int outChannels;
        private final int paddedWidth;
        private final int paddedPlane;

        Layout(ConvSpec spec) {
            g = spec.geometry();
            outChannels = spec.outChannels();
            int lanes = FloatLoops.IN_USE.lanes();
            int vectors = outChannels % (4 * lanes) == 0 ? 4 : outChannels % (2 * lanes) == 0 ? 2 : 1;
            blockChannels = vectors * lanes;
            blockTaps = SUMS / vectors;
            taps = g.columnRows();
            paddedWidth = g.width() + 2 * g.padding();
            paddedPlane = (g.height() + 2 * g.padding()) * paddedWidth;
            rowStride = g.stride() * paddedWidth;
            copyFloats = g.channels() * paddedPlane;
            int blocks = (taps + blockTaps - 1) / blockTaps;
            sumFloats = blocks * blockTaps * outChannels;
            offsets = new int[blocks * blockTaps];
            int[] real = DirectConvolution.tapOffsets(g, (c, i, j) -> c * paddedPlane
                    + i * g.dilation() * paddedWidth + j * g.dilation());
            System.arraycopy(real, 0, offsets, 0, taps);
        }

        /** Copies image planes into copy's insides; the borders stay as they are (zero). */
        void copyInside(float[] x, int xo, float[] copy) {
            int width = g.width();
            int inside = g.padding() * paddedWidth + g.padding();
            for (int c = 0; c < g.channels(); c++) {
                for (int row = 0; row < g.height(); row++) {
                    System.arraycopy(x, xo + (c * g.height() + row) * width, copy,
                            c * paddedPlane + inside + row * paddedWidth, width);
                }
            }
        }

        /** {@code pixels[q*outC + o] = dy[dyo + o*plane + q]}: one image's dy, a pixel's channels together. */
        void pixelMajor(float[] dy, int dyo, float[] pixels) {
            int plane = g.outHeight() * g.outWidth();
            for (int q = 0; q < plane; q++) {
                for (int o = 0; o < outChannels; o++) {
                    pixels[q * outChannels + o] = dy[dyo + o * plane + q];
                }
            }
        }

        /** {@code partials[partial + o*taps + t] += sums[t*outC + o]} for the real taps. */
        void addTransposed(float[] sums, float[] partials, int partial) {
            for (int o = 0; o < outChannels; o++) {
                for (int t = 0; t < taps; t++) {
                    partials[partial + o * taps + t] += sums[t * outChannels + o];
                }
            }
        }
    }
}
