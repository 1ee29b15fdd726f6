package dev.cortado.cpu;

import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
import java.util.Arrays;

/**
 * Convolutions with the output channels side by side in a vector's lanes. Each image is copied inside a zero border,
 * so that tap {@code (c, i, j)} of output pixel {@code (y, x)} reads the copy at the tap's offset plus the pixel's,
 * whatever the stride, padding and dilation. {@link FloatLoops#laneProducts} keeps sixteen vectors of sums in
 * registers, one, two or four vectors of channels by 16, 8 or 4 rows of them, and reads one float of the copy per
 * row and step, broadcast across the lanes, for one fused multiply-add per vector of channels:
 * <ul>
 *   <li>the weight gradient: rows are taps, steps the output pixels, multiplied into dy laid out pixel by pixel (a
 *       pixel's channels together). The column matrix's GEMM instead writes and reads back kH*kW times the image,
 *       and the direct weight gradients ({@link DirectConvolution}, {@link WideDirectConvolution}) load a vector of
 *       dy and one of the image for every two multiply-adds and end each block in sums across the lanes;</li>
 *   <li>the forward pass: rows are output pixels, steps the taps, multiplied into the weights laid out tap by tap;
 *       the output comes out pixel by pixel and is laid out plane by plane again.</li>
 * </ul>
 */
final class LaneConvolution {
    /**
     * Fewest taps ({@code C*kH*kW}): with fewer, copying the image and laying dy out again cost more than the
     * weight gradient's products save. Measured slower than the other paths at 9, 16, 27 and 32 taps (a grey or
     * colour image's first convolution, 1x1 projections), faster or as fast from 144 on.
     */
    private static final int MIN_TAPS = 64;
    /** Vectors of sums {@link FloatLoops#laneProducts} keeps in registers. */
    private static final int SUMS = 16;
    /**
     * Fewest columns the direct weight gradient on wide rows may compute per output column for one vector of
     * channels to be taken here instead: with one vector, every multiply-add takes a float of the image, and that
     * lost to the wide rows where they are nearly all output (ResNet's 16-channel layers at 28 x 28, 30 columns for
     * 28: 15-20% slower) and won where a third of them are not (LeNet-5's second convolution, 14 for 10: 25-40%
     * faster).
     */
    private static final double ONE_VECTOR_WASTE = 1.25;

    private LaneConvolution() {
    }

    /**
     * Whether spec's weight gradient is computed here: where its channels serve ({@link #servesChannels}), in
     * blocks of two or four vectors of them, or of one where the direct weight gradient on wide rows does not
     * serve it or computes at least {@link #ONE_VECTOR_WASTE} columns per output column.
     */
    static boolean servesWeightGradient(ConvSpec spec) {
        if (!servesChannels(spec)) {
            return false;
        }
        boolean oneVector = spec.outChannels() % (2 * FloatLoops.IN_USE.lanes()) != 0;
        return !oneVector || !WideDirectConvolution.servesWeightGradient(spec)
                || WideDirectConvolution.waste(spec) >= ONE_VECTOR_WASTE;
    }

    /**
     * Whether spec's channels and taps suit this class: on hardware vectors ({@link FloatLoops#vectorized}),
     * ungrouped, with at least {@link #MIN_TAPS} taps and output channels that fill whole vectors.
     */
    private static boolean servesChannels(ConvSpec spec) {
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
        int outChannels = spec.outChannels();
        int[] taps = layout.inBlocks(layout.taps);
        int[] pixels = layout.pixels;
        FloatLoops loops = FloatLoops.IN_USE;
        DirectConvolution.sumOverImages(g.batch(), spec.weightSize(), (first, end, partials, partial) -> {
            DirectScratch scratch = DirectScratch.ofThread();
            float[] copy = scratch.zeroedCopy(layout.copyFloats);
            float[] pixelMajor = scratch.planes(layout.outputSize);
            int sumFloats = taps.length * outChannels;
            float[] sums = scratch.sums(sumFloats);
            Arrays.fill(sums, 0, sumFloats, 0f);
            for (int n = first; n < end; n++) {
                layout.copyInside(x, xo + n * layout.imageSize, copy);
                layout.pixelMajor(dy, dyo + n * layout.outputSize, pixelMajor);
                for (int c = 0; c < outChannels; c += layout.blockChannels) {
                    for (int t = 0; t < taps.length; t += layout.blockRows) {
                        loops.laneProducts(copy, taps, t, layout.blockRows, pixels, pixels.length, pixelMajor, c,
                                outChannels, layout.blockChannels, sums, t * outChannels + c, outChannels);
                    }
                }
            }
            for (int o = 0; o < outChannels; o++) {
                for (int t = 0; t < layout.taps.length; t++) {
                    partials[partial + o * layout.taps.length + t] += sums[t * outChannels + o];
                }
            }
        }, dw, dwo);
    }

    /**
     * Whether spec's forward pass is computed here: where its channels serve ({@link #servesChannels}), at a stride
     * above 1, where the other direct paths compute every stride phase's columns and the column matrix gathers its
     * floats one by one.
     */
    static boolean servesForward(ConvSpec spec) {
        return servesChannels(spec) && spec.geometry().stride() > 1;
    }

    /**
     * {@code y = conv(x, w)}, as {@link dev.cortado.backend.Backend#convolutionForward}: each image's output pixels
     * in blocks of {@link Layout#blockRows}, shared out by image, block of channels and part of the pixels.
     */
    static void forward(ConvSpec spec, float[] x, int xo, float[] w, int wo, float[] y, int yo) {
        Layout layout = new Layout(spec);
        ConvGeometry g = spec.geometry();
        int outChannels = spec.outChannels();
        int tapCount = layout.taps.length;
        float[] tapMajor = DirectScratch.ofThread().partials(tapCount * outChannels);
        for (int o = 0; o < outChannels; o++) {
            for (int t = 0; t < tapCount; t++) {
                tapMajor[t * outChannels + o] = w[wo + o * tapCount + t];
            }
        }
        int[] pixels = layout.inBlocks(layout.pixels);
        int plane = layout.pixels.length;
        int channelBlocks = outChannels / layout.blockChannels;
        int pixelBlocks = pixels.length / layout.blockRows;
        // a batch smaller than the thread count still keeps every thread busy
        int perImage = channelBlocks * Math.min(pixelBlocks,
                Math.max(1, (Parallel.threads() + g.batch() - 1) / g.batch()));
        int parts = perImage / channelBlocks;
        FloatLoops loops = FloatLoops.IN_USE;
        Parallel.forRange(g.batch() * perImage, 1, (from, to) -> {
            DirectScratch scratch = DirectScratch.ofThread();
            float[] copy = scratch.zeroedCopy(layout.copyFloats);
            float[] sums = scratch.planes(pixels.length * layout.blockChannels);
            int copied = -1;
            for (int unit = from; unit < to; unit++) {
                int n = unit / perImage;
                int c = unit % perImage / parts * layout.blockChannels;
                int part = unit % parts;
                if (n != copied) {
                    layout.copyInside(x, xo + n * layout.imageSize, copy);
                    copied = n;
                }
                int first = pixelBlocks * part / parts * layout.blockRows;
                int end = pixelBlocks * (part + 1) / parts * layout.blockRows;
                Arrays.fill(sums, first * layout.blockChannels, end * layout.blockChannels, 0f);
                for (int q = first; q < end; q += layout.blockRows) {
                    loops.laneProducts(copy, pixels, q, layout.blockRows, layout.taps, tapCount, tapMajor, c,
                            outChannels, layout.blockChannels, sums, q * layout.blockChannels, layout.blockChannels);
                }
                int out = yo + n * layout.outputSize + c * plane;
                for (int k = 0; k < layout.blockChannels; k++) {
                    for (int q = first; q < Math.min(end, plane); q++) {
                        y[out + k * plane + q] = sums[q * layout.blockChannels + k];
                    }
                }
            }
        });
    }

    /**
     * The layout of an image's copy and of the blocks: plane c inside a border of p zeros,
     * {@code (H + 2p) x (W + 2p)} floats; tap {@code (c, i, j)} at its pixel {@code (i*d, j*d)} of plane c; output
     * pixel {@code (y, x)} at {@code (y*s, x*s)}.
     */
    private static final class Layout {
        final int[] taps;
        final int[] pixels;
        final int blockChannels;
        final int blockRows;
        final int imageSize;
        final int outputSize;
        private final ConvGeometry g;
        private final int outChannels;
        private final int paddedWidth;
        private final int paddedPlane;
        final int copyFloats;

        Layout(ConvSpec spec) {
            g = spec.geometry();
            outChannels = spec.outChannels();
            int lanes = FloatLoops.IN_USE.lanes();
            int vectors = outChannels % (4 * lanes) == 0 ? 4 : outChannels % (2 * lanes) == 0 ? 2 : 1;
            blockChannels = vectors * lanes;
            blockRows = SUMS / vectors;
            imageSize = (int) (g.imageSize() / g.batch());
            outputSize = (int) (spec.outputSize() / g.batch());
            paddedWidth = g.width() + 2 * g.padding();
            paddedPlane = (g.height() + 2 * g.padding()) * paddedWidth;
            copyFloats = g.channels() * paddedPlane;
            taps = DirectConvolution.tapOffsets(g, (c, i, j) -> c * paddedPlane + i * g.dilation() * paddedWidth
                    + j * g.dilation());
            pixels = new int[g.outHeight() * g.outWidth()];
            for (int q = 0; q < pixels.length; q++) {
                pixels[q] = q / g.outWidth() * g.stride() * paddedWidth + q % g.outWidth() * g.stride();
            }
        }

        /** Offsets filled up to whole blocks of {@link #blockRows} with the first one, whose sums are dropped. */
        int[] inBlocks(int[] offsets) {
            int[] blocks = new int[(offsets.length + blockRows - 1) / blockRows * blockRows];
            Arrays.fill(blocks, offsets[0]);
            System.arraycopy(offsets, 0, blocks, 0, offsets.length);
            return blocks;
        }

        /** Copies an image's planes into copy's insides. */
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

        /** {@code pixelMajor[q*outC + o] = dy[dyo + o*plane + q]}: one image's dy, a pixel's channels together. */
        void pixelMajor(float[] dy, int dyo, float[] pixelMajor) {
            int plane = pixels.length;
            for (int q = 0; q < plane; q++) {
                for (int o = 0; o < outChannels; o++) {
                    pixelMajor[q * outChannels + o] = dy[dyo + o * plane + q];
                }
            }
        }
    }
}
