package dev.cortado.cpu;

import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
import java.util.Arrays;

/**
 * Stride-1 convolutions with images side by side in a vector's lanes, one image a lane: the forward pass and the
 * weight gradient. The batch is first copied into that layout in groups of {@link FloatLoops#lanes} images (a vector
 * gather per pixel), each channel inside a zero border of the padding, so that tap {@code (c, i, j)} of output pixel
 * {@code (y, x)} is the vector at the tap's offset plus the pixel's. Then
 * <ul>
 *   <li>the forward pass: {@link FloatLoops#imageProducts} sums four output channels by five pixels of a row, twenty
 *       vectors of sums in registers, for five loads of the copy and four broadcast weights per twenty fused
 *       multiply-adds; the sums, laid out the same way, are scattered into the output's planes;</li>
 *   <li>the weight gradient: dy is copied into lanes too, and {@link FloatLoops#imageGradientProducts} sums four
 *       output channels by five taps over every pixel, for four loads of dy and five of the copy per twenty; the
 *       lanes are added up at the end.</li>
 * </ul>
 *
 * <p>Where it serves, nearly every multiply-add it does is one the result keeps (up to {@link #MAX_WASTE}): rows are
 * computed in whole blocks of five pixels, output channels in fours (the extra ones from zero weights or dy) and
 * images in whole vectors (the extra ones zero), and what the blocks add is dropped. The direct convolution on wide
 * rows ({@link WideDirectConvolution}) instead computes a whole input row per output row (14 columns for LeNet-5's
 * second convolution's 10), and {@link LaneConvolution} loads a float of the image per multiply-add. On LeNet-5's
 * second convolution (6 to 16 channels, 14 x 14, 5 x 5, batch 64; AMD EPYC Zen 4, 2 threads) the forward pass took
 * 0.68-0.79 of the wide rows' time and the weight gradient 0.76-0.80 of the lanes of channels' in four processes of
 * five (1.12 in the fifth), copies included. Its input gradient stays with {@link RowInputGradient}: as this
 * class's forward pass of dy (6 output channels in blocks of eight, 16 channels of 18 x 18 per row of sums) it
 * took 1.5 times as long.
 */
final class ImageLaneConvolution {
    /** Fewest lanes: with fewer, twenty vectors of sums and the five of the image do not fit 32 registers' worth. */
    private static final int MIN_LANES = 16;
    /** Most multiply-adds done per multiply-add kept, from rounding pixels, channels and images up to blocks. */
    private static final double MAX_WASTE = 1.25;
    /**
     * How many more columns the wide rows must compute per column kept than this class does multiply-adds per one
     * kept: the copies into and out of the lanes cost about what the wide rows' extra columns do where they compute
     * 1.2 times as many (time ratios 0.95-1.0 on 5 x 5 kernels); from 1.4 on this class took 0.56-0.82 of their time,
     * and 0.3-0.46 of the column matrix's on small images (9 x 9, 16 x 16) that the wide rows leave to it.
     */
    private static final double WIDE_WASTE_RATIO = 1.3;

    private ImageLaneConvolution() {
    }

    /**
     * Whether this class computes {@code spec}'s forward pass: at stride 1 where vectors hold 16 floats or more, its
     * own waste at most {@link #MAX_WASTE} and the wide rows' {@link #WIDE_WASTE_RATIO} times that or more (which
     * also leaves out large images, where the column matrix's product serves better).
     */
    static boolean servesForward(ConvSpec spec) {
        ConvGeometry g = spec.geometry();
        if (FloatLoops.IN_USE.lanes() < MIN_LANES || spec.groups() != 1 || g.stride() != 1 || g.dilation() != 1) {
            return false;
        }
        double waste = new Layout(spec, FloatLoops.IN_USE.lanes()).waste();
        return waste <= MAX_WASTE && WideDirectConvolution.waste(spec) >= WIDE_WASTE_RATIO * waste;
    }

    /**
     * Whether this class computes {@code spec}'s weight gradient: where it computes the forward pass (measured on
     * those shapes only).
     */
    static boolean servesWeightGradient(ConvSpec spec) {
        return servesForward(spec);
    }

    /** {@code y = conv(x, w)}, as {@link dev.cortado.backend.Backend#convolutionForward}. */
    static void forward(ConvSpec spec, float[] x, int xo, float[] w, int wo, float[] y, int yo) {
        Layout layout = new Layout(spec, FloatLoops.IN_USE.lanes());
        float[] weights = DirectScratch.ofThread().partials(layout.channels * layout.taps);
        int kept = spec.outChannels() * layout.taps;
        System.arraycopy(w, wo, weights, 0, kept);
        Arrays.fill(weights, kept, layout.channels * layout.taps, 0f);
        products(spec, layout, x, xo, weights, y, yo);
    }

    /**
     * {@code dw += dL/dw}, as {@link dev.cortado.backend.Backend#convolutionBackwardWeight}: x and dy copied into
     * lanes, then, for each block of four output channels by five taps, {@link FloatLoops#imageGradientProducts}
     * over every pixel of each group of images, its lanes summed at the end.
     */
    static void backwardWeight(ConvSpec spec, float[] x, int xo, float[] dy, int dyo, float[] dw, int dwo) {
        int lanes = FloatLoops.IN_USE.lanes();
        Layout layout = new Layout(spec, lanes);
        ConvGeometry g = spec.geometry();
        DirectScratch scratch = DirectScratch.ofThread();
        float[] images = scratch.copy(layout.groups * layout.groupFloats);
        copyIn(x, xo, g.batch(), g.channels(), g.height(), g.width(), g.padding(), lanes, layout.groupFloats,
                images);
        int pixels = g.outHeight() * g.outWidth();
        int gradPlane = pixels * lanes;
        int gradGroup = layout.channels * gradPlane;
        float[] grads = scratch.planes(layout.groups * gradGroup);
        copyIn(dy, dyo, g.batch(), spec.outChannels(), g.outHeight(), g.outWidth(), 0, lanes, gradGroup, grads);
        for (int group = 0; group < layout.groups; group++) {
            int start = group * gradGroup + spec.outChannels() * gradPlane;
            Arrays.fill(grads, start, start + (layout.channels - spec.outChannels()) * gradPlane, 0f);
        }
        int tapBlocks = ceilDiv(layout.taps, FloatLoops.IMAGE_TAPS);
        int[] tapAt = Arrays.copyOf(layout.tapOffsets(g), tapBlocks * FloatLoops.IMAGE_TAPS);
        int[] pixelAt = new int[pixels];
        for (int r = 0; r < pixels; r++) {
            pixelAt[r] = (r / g.outWidth() * layout.width + r % g.outWidth()) * lanes;
        }
        int blockFloats = FloatLoops.IMAGE_CHANNELS * FloatLoops.IMAGE_TAPS * lanes;
        int channelBlocks = layout.channels / FloatLoops.IMAGE_CHANNELS;
        float[] sums = scratch.sums(channelBlocks * tapBlocks * blockFloats);
        Arrays.fill(sums, 0, channelBlocks * tapBlocks * blockFloats, 0f);
        Parallel.forRange(channelBlocks * tapBlocks, 1, (from, to) -> {
            for (int item = from; item < to; item++) {
                int block = item / tapBlocks;
                int tapBlock = item % tapBlocks;
                for (int group = 0; group < layout.groups; group++) {
                    FloatLoops.IN_USE.imageGradientProducts(grads, group * gradGroup
                            + block * FloatLoops.IMAGE_CHANNELS * gradPlane, gradPlane, images,
                            group * layout.groupFloats, tapAt, tapBlock * FloatLoops.IMAGE_TAPS, pixelAt, pixels,
                            sums, item * blockFloats);
                }
                addLanes(spec, layout, sums, item * blockFloats, block, tapBlock, dw, dwo);
            }
        });
    }

    /** Adds the lanes of one block's sums into dw, for the channels and taps that exist. */
    private static void addLanes(ConvSpec spec, Layout layout, float[] sums, int so, int block, int tapBlock,
                                 float[] dw, int dwo) {
        for (int c = 0; c < FloatLoops.IMAGE_CHANNELS; c++) {
            int o = block * FloatLoops.IMAGE_CHANNELS + c;
            for (int t = 0; t < FloatLoops.IMAGE_TAPS; t++) {
                int tap = tapBlock * FloatLoops.IMAGE_TAPS + t;
                if (o >= spec.outChannels() || tap >= layout.taps) {
                    continue;
                }
                int at = so + (c * FloatLoops.IMAGE_TAPS + t) * layout.lanes;
                float sum = sums[at];
                for (int q = 1; q < layout.lanes; q++) {
                    sum += sums[at + q];
                }
                dw[dwo + o * layout.taps + tap] += sum;
            }
        }
    }

    /**
     * The forward pass with {@code weights} laid out channel by channel in whole blocks of
     * {@link FloatLoops#IMAGE_CHANNELS}: the copy in, the products, the copy out.
     */
    private static void products(ConvSpec spec, Layout layout, float[] x, int xo, float[] weights, float[] y,
                                 int yo) {
        int lanes = layout.lanes;
        ConvGeometry g = spec.geometry();
        DirectScratch scratch = DirectScratch.ofThread();
        float[] images = scratch.copy(layout.groups * layout.groupFloats);
        float[] sums = scratch.planes(layout.groups * layout.sumFloats);
        copyIn(x, xo, g.batch(), g.channels(), g.height(), g.width(), g.padding(), lanes, layout.groupFloats,
                images);
        int[] tapAt = layout.tapOffsets(g);
        int channelBlocks = layout.channels / FloatLoops.IMAGE_CHANNELS;
        int outH = g.outHeight();
        int sumPlane = outH * layout.sumWidth * lanes;
        Parallel.forRange(layout.groups * channelBlocks * outH, 1, (from, to) -> {
            for (int item = from; item < to; item++) {
                int group = item / (channelBlocks * outH);
                int block = item / outH % channelBlocks;
                int oy = item % outH;
                int image = group * layout.groupFloats + oy * layout.width * lanes;
                int out = group * layout.sumFloats + (block * FloatLoops.IMAGE_CHANNELS * outH + oy)
                        * layout.sumWidth * lanes;
                for (int ox = 0; ox < layout.sumWidth; ox += FloatLoops.IMAGE_PIXELS) {
                    FloatLoops.IN_USE.imageProducts(images, image + ox * lanes, tapAt, weights,
                            block * FloatLoops.IMAGE_CHANNELS * layout.taps, layout.taps, sums, out + ox * lanes,
                            sumPlane);
                }
            }
        });
        copyOut(spec, sums, layout, y, yo);
    }

    /**
     * Copies {@code batch} images of {@code channels} planes {@code height x width} into groups of lanes images,
     * {@code groupFloats} apart, each plane inside a zero border {@code pad} wide; missing images are 0. What lies
     * past a group's last plane is left as it was: only sums that are not kept read it.
     */
    private static void copyIn(float[] x, int xo, int batch, int channels, int height, int width, int pad,
                               int lanes, int groupFloats, float[] images) {
        int rowFloats = (width + 2 * pad) * lanes;
        int planeFloats = (height + 2 * pad) * rowFloats;
        int[] imageAt = imageOffsets(lanes, channels * height * width);
        Parallel.forRange(ceilDiv(batch, lanes) * channels, 1, (from, to) -> {
            for (int item = from; item < to; item++) {
                int group = item / channels;
                int c = item % channels;
                int present = Math.min(lanes, batch - group * lanes);
                int src = xo + (group * lanes * channels + c) * height * width;
                int plane = group * groupFloats + c * planeFloats;
                Arrays.fill(images, plane, plane + pad * rowFloats, 0f);
                for (int iy = 0; iy < height; iy++) {
                    int row = plane + (pad + iy) * rowFloats;
                    Arrays.fill(images, row, row + pad * lanes, 0f);
                    FloatLoops.IN_USE.gatherImages(x, src + iy * width, imageAt, present, images, row + pad * lanes,
                            width);
                    Arrays.fill(images, row + (pad + width) * lanes, row + rowFloats, 0f);
                }
                int below = plane + (pad + height) * rowFloats;
                Arrays.fill(images, below, below + pad * rowFloats, 0f);
            }
        });
    }

    /** Copies the kept sums out into y's planes, a row of a group of images at a time. */
    private static void copyOut(ConvSpec spec, float[] sums, Layout layout, float[] y, int yo) {
        ConvGeometry g = spec.geometry();
        int lanes = layout.lanes;
        int outH = g.outHeight();
        int outW = g.outWidth();
        int channels = spec.outChannels();
        int[] imageAt = imageOffsets(lanes, channels * outH * outW);
        Parallel.forRange(layout.groups * channels, 1, (from, to) -> {
            for (int item = from; item < to; item++) {
                int group = item / channels;
                int c = item % channels;
                int present = Math.min(lanes, g.batch() - group * lanes);
                int src = group * layout.sumFloats + c * outH * layout.sumWidth * lanes;
                int dst = yo + (group * lanes * channels + c) * outH * outW;
                for (int oy = 0; oy < outH; oy++) {
                    FloatLoops.IN_USE.scatterImages(sums, src + oy * layout.sumWidth * lanes, y, dst + oy * outW,
                            imageAt, present, outW);
                }
            }
        });
    }

    /** Where each image of a group starts, from the first's start: images {@code imageFloats} apart. */
    private static int[] imageOffsets(int lanes, int imageFloats) {
        int[] at = new int[lanes];
        for (int q = 0; q < lanes; q++) {
            at[q] = q * imageFloats;
        }
        return at;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Sizes of the copy and of the sums, per group of lanes images. */
    private static final class Layout {
        final int lanes;
        final int groups;
        final int taps;
        /** Output channels, rounded up to whole blocks. */
        final int channels;
        /** Rows and columns of a channel of the copy: the image inside its border. */
        final int height;
        final int width;
        /** Columns of the sums: the output's, rounded up to whole blocks of pixels. */
        final int sumWidth;
        final int groupFloats;
        final int sumFloats;
        private final double waste;

        Layout(ConvSpec spec, int lanes) {
            ConvGeometry g = spec.geometry();
            this.lanes = lanes;
            groups = ceilDiv(g.batch(), lanes);
            taps = g.channels() * g.kernelH() * g.kernelW();
            channels = ceilDiv(spec.outChannels(), FloatLoops.IMAGE_CHANNELS) * FloatLoops.IMAGE_CHANNELS;
            height = g.height() + 2 * g.padding();
            width = g.width() + 2 * g.padding();
            sumWidth = ceilDiv(g.outWidth(), FloatLoops.IMAGE_PIXELS) * FloatLoops.IMAGE_PIXELS;
            // A block's last pixels read past the row's end into the next row, and the last row's past the
            // channel's end: the columns the sums add beyond the output's, which no kept sum reads.
            groupFloats = (g.channels() * height * width + sumWidth - g.outWidth()) * lanes;
            sumFloats = channels * g.outHeight() * sumWidth * lanes;
            waste = (double) groups * lanes / g.batch() * channels / spec.outChannels() * sumWidth / g.outWidth();
        }

        double waste() {
            return waste;
        }

        /** Where each tap {@code (c, i, j)} of pixel (0, 0) lies in a group's copy. */
        int[] tapOffsets(ConvGeometry g) {
            int[] at = new int[taps];
            for (int c = 0; c < g.channels(); c++) {
                for (int i = 0; i < g.kernelH(); i++) {
                    for (int j = 0; j < g.kernelW(); j++) {
                        at[(c * g.kernelH() + i) * g.kernelW() + j] = ((c * height + i) * width + j) * lanes;
                    }
                }
            }
            return at;
        }

    }
}
