package dev.cortado.cpu;

import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
import java.util.Arrays;

/**
 * "Same" stride-1 convolutions with a short column (at most {@link #MAX_TAPS} taps {@code (c, i, j)}, as in a
 * network's first layer on one or three channels), computed straight from shifted copies of each image. Forward,
 * output channel o is the sum over the taps of {@code w[o][c][i][j]} times plane c shifted by
 * {@code (i*d - p, j*d - p)}, four output channels at a time ({@link FloatLoops#convolveFour}), written where they
 * belong in the NCHW output; the weight gradient sums dy's planes times the same shifted planes, in blocks of
 * planes by taps ({@link Block}). With so few taps a column matrix would cost more to write than its product
 * costs to compute, and the product would be too shallow for the GEMM's register tile. (The input gradient, a
 * forward convolution whose column is as long as the output channels times the kernel, is not computed here.)
 *
 * <p>A shift along a row is a shift of the whole plane, read as one run, if the floats it brings in from the
 * neighbouring row are zero: each kernel column j gets its own copy of each channel, with the p rows of padding
 * above and below and the columns that kernel column would read across a row's edge zeroed.
 */
final class DirectConvolution {
    /** Most taps: beyond them the GEMM's column matrix pays for itself. */
    private static final int MAX_TAPS = 32;

    private DirectConvolution() {
    }

    /**
     * Whether the forward pass and weight gradient of spec are computed here: on hardware vectors
     * ({@link FloatLoops#vectorized}), ungrouped, stride 1, few taps, and an output as large as the input (which
     * makes the kernel square).
     */
    static boolean serves(ConvSpec spec) {
        ConvGeometry g = spec.geometry();
        return FloatLoops.IN_USE.vectorized() && spec.groups() == 1 && g.stride() == 1 && g.columnRows() <= MAX_TAPS
                && g.outHeight() == g.height() && g.outWidth() == g.width();
    }

    /** {@code y = conv(x, w)}, as {@link dev.cortado.backend.Backend#convolutionForward}, images shared out. */
    static void forward(ConvSpec spec, float[] x, int xo, float[] w, int wo, float[] y, int yo) {
        ConvGeometry g = spec.geometry();
        Copies copies = new Copies(g);
        int taps = g.columnRows();
        int plane = g.height() * g.width();
        Block block = Block.forPlanes(spec.outChannels());
        int whole = spec.outChannels() / block.planes * block.planes;
        int rest = spec.outChannels() - whole;
        float[] lastWeights = lastChannels(spec, w, wo, block.planes);
        int imageSize = g.channels() * plane;
        int outputSize = spec.outChannels() * plane;
        Parallel.forRange(g.batch(), 1, (from, to) -> {
            DirectScratch scratch = DirectScratch.ofThread();
            float[] shifted = scratch.zeroedCopy(copies.floats);
            for (int n = from; n < to; n++) {
                copies.fill(x, xo + n * imageSize, shifted);
                int out = yo + n * outputSize;
                for (int o = 0; o < whole; o += block.planes) {
                    block.convolve(shifted, copies.offsets, taps, w, wo + o * taps, y, out + o * plane, plane);
                }
                if (rest > 0) {
                    float[] last = scratch.planes(block.planes * plane);
                    block.convolve(shifted, copies.offsets, taps, lastWeights, 0, last, 0, plane);
                    System.arraycopy(last, 0, y, out + whole * plane, rest * plane);
                }
            }
        });
    }

    /**
     * The weights of the output channels after the last whole group of {@code planes}, filled up to that many
     * channels with zeros, for {@link FloatLoops#convolveFour} or {@link FloatLoops#convolveThree}; null when the
     * channels come in such groups.
     */
    static float[] lastChannels(ConvSpec spec, float[] w, int wo, int planes) {
        int taps = spec.geometry().columnRows();
        int whole = spec.outChannels() / planes * planes;
        if (whole == spec.outChannels()) {
            return null;
        }
        return Arrays.copyOf(Arrays.copyOfRange(w, wo + whole * taps, wo + spec.outChannels() * taps), planes * taps);
    }

    /**
     * {@code dw += dL/dw}, as {@link dev.cortado.backend.Backend#convolutionBackwardWeight}: for each image, the sums
     * over the plane of dy's planes times the taps' shifted copies, a {@link Block} of planes by taps at a time
     * ({@link Block#forSums}), summed over the images in fixed parts ({@link #sumOverImages}).
     */
    static void backwardWeight(ConvSpec spec, float[] x, int xo, float[] dy, int dyo, float[] dw, int dwo) {
        ConvGeometry g = spec.geometry();
        Copies copies = new Copies(g);
        int taps = g.columnRows();
        int plane = g.height() * g.width();
        int outChannels = spec.outChannels();
        Block block = Block.forSums(outChannels, taps);
        int[] offsets = block.filledUp(copies.offsets);
        int imageSize = g.channels() * plane;
        int outputSize = outChannels * plane;
        sumOverImages(g.batch(), spec.weightSize(), (first, end, partials, partial) -> {
            DirectScratch scratch = DirectScratch.ofThread();
            float[] shifted = scratch.zeroedCopy(copies.floats);
            float[] lastPlanes = scratch.planes(block.planes * plane);
            for (int n = first; n < end; n++) {
                copies.fill(x, xo + n * imageSize, shifted);
                for (int o = 0; o < outChannels; o += block.planes) {
                    int rows = Math.min(block.planes, outChannels - o);
                    float[] grad = dy;
                    int gradOffset = dyo + n * outputSize + o * plane;
                    if (rows < block.planes) { // the last few planes of dy, filled up with zeros
                        Arrays.fill(lastPlanes, 0, block.planes * plane, 0f);
                        System.arraycopy(dy, gradOffset, lastPlanes, 0, rows * plane);
                        grad = lastPlanes;
                        gradOffset = 0;
                    }
                    addBlockSums(block, grad, gradOffset, plane, rows, shifted, offsets, taps, scratch.blockSums,
                            partials, partial + o * taps, plane);
                }
            }
        }, dw, dwo);
    }

    /** Where tap {@code (c, i, j)}'s run starts in an image's copy. */
    interface TapOffset {
        int of(int c, int i, int j);
    }

    /** The offsets of g's taps, in the order of the weights' column {@code (c, i, j)}. */
    static int[] tapOffsets(ConvGeometry g, TapOffset offset) {
        int[] offsets = new int[g.columnRows()];
        int kernel = g.kernelH() * g.kernelW();
        for (int t = 0; t < offsets.length; t++) {
            offsets[t] = offset.of(t / kernel, t / g.kernelW() % g.kernelH(), t % g.kernelW());
        }
        return offsets;
    }

    /**
     * The shape of the blocks that the kernels compute at once: output planes, and for the weight gradient's sums
     * planes of dy by taps. A convolution's last block is filled up (with zero weights or planes of dy, with tap
     * 0's offset) and what it computes past the convolution dropped.
     */
    enum Block {
        /** {@link FloatLoops#convolveFour}, {@link FloatLoops#correlateFour}. */
        FOUR_BY_FOUR(4, 4),
        /**
         * {@link FloatLoops#convolveThree}, {@link FloatLoops#correlateThreeByFive}: output channels in threes,
         * taps in the rows of a 5x5 kernel.
         */
        THREE_BY_FIVE(3, 5);

        final int planes;
        final int taps;

        Block(int planes, int taps) {
            this.planes = planes;
            this.taps = taps;
        }

        /**
         * The shape for outChannels planes by taps taps: three by five where, blocks filled up, it computes at most
         * three quarters of the sums that four by four does (LeNet-5's first convolution, 6 channels by 25 taps:
         * 150 against 224, 22% faster); else four by four, whose blocks cost a little less per sum (ResNet's first,
         * 16 channels by 9 taps: 180 against 192, yet 9% slower in threes by fives).
         */
        static Block forSums(int outChannels, int taps) {
            return 4 * THREE_BY_FIVE.sums(outChannels, taps) <= 3 * FOUR_BY_FOUR.sums(outChannels, taps)
                    ? THREE_BY_FIVE : FOUR_BY_FOUR;
        }

        /**
         * The shape for the forward pass of outChannels output channels: three where, filled up, they are at most
         * three quarters of the planes that fours make (LeNet-5's first convolution: 6 against 8, 128-135 -> 111-123
         * us).
         */
        static Block forPlanes(int outChannels) {
            return 4 * filledUp(outChannels, 3) <= 3 * filledUp(outChannels, 4) ? THREE_BY_FIVE : FOUR_BY_FOUR;
        }

        private long sums(int outChannels, int taps) {
            return (long) filledUp(outChannels, planes) * filledUp(taps, this.taps);
        }

        private static int filledUp(int n, int block) {
            return (n + block - 1) / block * block;
        }

        /** The taps' offsets in whole blocks, the last one filled up with tap 0's (whose sums are dropped). */
        int[] filledUp(int[] offsets) {
            return Arrays.copyOf(offsets, filledUp(offsets.length, taps));
        }

        /** The block's output planes, {@code out[oo + r*ldo + q]} for q < ldo: see {@link FloatLoops#convolveFour}. */
        void convolve(float[] x, int[] offsets, int taps, float[] w, int wo, float[] out, int oo, int ldo) {
            if (this == FOUR_BY_FOUR) {
                FloatLoops.IN_USE.convolveFour(x, 0, offsets, taps, w, wo, out, oo, ldo, ldo);
            } else {
                FloatLoops.IN_USE.convolveThree(x, 0, offsets, taps, w, wo, out, oo, ldo, ldo);
            }
        }

        /** The block's sums, {@code sums[so + r*taps + t]}: see {@link FloatLoops#correlateFour}. */
        void correlate(float[] dy, int dyo, int ldy, float[] x, int xo, int[] offsets, int to, float[] sums, int so,
                       int n) {
            if (this == FOUR_BY_FOUR) {
                FloatLoops.IN_USE.correlateFour(dy, dyo, ldy, x, xo, offsets, to, sums, so, n);
            } else {
                FloatLoops.IN_USE.correlateThreeByFive(dy, dyo, ldy, x, xo, offsets, to, sums, so, n);
            }
        }
    }

    /** What a part of the images adds to its partial weight gradient, {@code partials[partial...]}, zeroed first. */
    interface ImageRange {
        void add(int first, int end, float[] partials, int partial);
    }

    /**
     * {@code dw += } the sum over the batch's images of their weight gradients: a fixed number of parts, chosen from
     * the batch and the thread count only, each sum their images into a partial gradient of their own, and the
     * partials are added in order, so the result does not depend on which thread took which part.
     */
    static void sumOverImages(int batch, long weightSize, ImageRange range, float[] dw, int dwo) {
        int size = Math.toIntExact(weightSize);
        int parts = parts(batch);
        float[] partials = DirectScratch.ofThread().partials(parts * size);
        Parallel.forRange(parts, 1, (from, to) -> {
            for (int part = from; part < to; part++) {
                Arrays.fill(partials, part * size, (part + 1) * size, 0f);
                range.add(batch * part / parts, batch * (part + 1) / parts, partials, part * size);
            }
        });
        ImageConvolution.sumParts(partials, parts, size);
        for (int i = 0; i < size; i++) {
            dw[dwo + i] += partials[i];
        }
    }

    /** How many parts {@link #sumOverImages} splits a batch into: four per thread, at most one per image. */
    private static int parts(int batch) {
        return Math.min(batch, 4 * Parallel.threads());
    }

    /** The most images in one of {@link #sumOverImages}'s parts. */
    static int imagesPerPart(int batch) {
        return (batch + parts(batch) - 1) / parts(batch);
    }

    /**
     * Adds the sums of a block's planes of dy ({@code grad[go + r*ldy + q]}, q < n) times each tap's run into
     * the first {@code rows} of them in a partial weight gradient, whose row of {@code taps} weights for the first
     * plane starts at {@code partials[at]}; {@code offsets} come in the block's whole blocks of taps
     * ({@link Block#filledUp}).
     */
    static void addBlockSums(Block block, float[] grad, int go, int ldy, int rows, float[] image, int[] offsets,
                             int taps, float[] sums, float[] partials, int at, int n) {
        for (int t = 0; t < taps; t += block.taps) {
            block.correlate(grad, go, ldy, image, 0, offsets, t, sums, 0, n);
            for (int r = 0; r < rows; r++) {
                for (int u = 0; u < Math.min(block.taps, taps - t); u++) {
                    partials[at + r * taps + t + u] += sums[block.taps * r + u];
                }
            }
        }
    }

    /**
     * The layout of an image's shifted copies: copy {@code (c, j)} is plane c with p zero rows above and below,
     * preceded by a gap of p zeros so that a shift of up to p floats left stays inside it, and tap
     * {@code (c, i, j)} reads it from {@code offsets[t]} on.
     */
    private static final class Copies {
        private final ConvGeometry g;
        private final int gap;
        private final int stride;
        final int floats;
        final int[] offsets;

        Copies(ConvGeometry g) {
            this.g = g;
            gap = g.padding();
            stride = gap + (g.height() + 2 * g.padding()) * g.width();
            floats = g.channels() * g.kernelW() * stride + gap;
            offsets = tapOffsets(g, (c, i, j) -> start(c, j) + i * g.dilation() * g.width() + shift(j));
        }

        /** Where copy (c, j)'s padded plane starts. */
        private int start(int c, int j) {
            return (c * g.kernelW() + j) * stride + gap;
        }

        /** The column shift of kernel column j, {@code j*d - p}, between -p and p. */
        private int shift(int j) {
            return j * g.dilation() - g.padding();
        }

        /**
         * One image's copies into {@code shifted}, whose first {@link #floats} floats are zero or hold the copies
         * of another image: the planes and the columns a shift reads across a row's edge are written, the padding
         * rows and the gaps never are, so they stay zero from a {@link DirectScratch#zeroedCopy} once per run of
         * images (zeroing them for every image made LeNet-5's first convolution 5% slower forward, 2-4% backward).
         */
        void fill(float[] x, int xo, float[] shifted) {
            int width = g.width();
            int plane = g.height() * width;
            int top = g.padding() * width;
            for (int c = 0; c < g.channels(); c++) {
                for (int j = 0; j < g.kernelW(); j++) {
                    int first = start(c, j) + top;
                    System.arraycopy(x, xo + c * plane, shifted, first, plane);
                    // a left shift reads the last columns of the row above, a right shift the first of the next
                    int s = shift(j);
                    int from = s < 0 ? width + s : 0;
                    int to = s < 0 ? width : s;
                    for (int row = 0; row < g.height(); row++) {
                        for (int col = from; col < to; col++) {
                            shifted[first + row * width + col] = 0f;
                        }
                    }
                }
            }
        }
    }
}
