package dev.cortado.cpu;

import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
import dev.cortado.cpu.gemm.Sgemm;
import java.util.Arrays;

/**
 * Convolutions computed straight from a zero-bordered copy of each image, without a column matrix. At stride 1,
 * output channel o is the sum over the taps {@code (c, i, j)} of {@code w[o][c][i][j]} times padded plane c read
 * from offset {@code i*d*(W + 2p) + j*d} on, four output channels at a time ({@link FloatLoops#convolveFour}). As
 * on {@link WideRows}, the sums are computed for every column of the padded rows and the output's columns copied
 * out: the few extra columns cost less than writing a column matrix {@code kH*kW} times the image's size and
 * reading it back, which took a fifth to a half of these convolutions' time at 6 to 16 input channels. At stride
 * s the copy holds the padded image's s*s phases instead, each tap reads one of them at a fixed shift, and the same
 * runs give the output (ResNet's stride-2 layers, whose column matrices took half of their time). Each block of four
 * output channels of an image is one unit of work, so a batch of one image is shared out too.
 *
 * <p>Every read stays in the copy, which ends where the furthest tap's run does. The floats a run reads past its
 * phase's last row, across a row's edge or in the columns computed to round the run up to whole vectors reach
 * dropped columns only. A thread zeroes its copy once per op; each image then only overwrites the inside of the
 * planes, so the borders and the tail stay zero.
 */
final class WideDirectConvolution {
    /** Most columns computed per output column, as for {@link WideRows}. */
    private static final double MAX_WASTE = 1.5;
    /** Columns computed per image come in multiples of this: a whole number of vectors of any width up to 512 bits. */
    private static final int VECTOR_FLOATS = 16;
    /**
     * Fewest columns in the weight gradient's run: each block of four planes by four taps ends in sixteen sums
     * across a vector's lanes, which on shorter runs cost more than the column matrix saves.
     */
    private static final int MIN_GRADIENT_COLUMNS = 512;
    /**
     * Most input channels for the weight gradient. Over more, the GEMM's product of dy and the column matrix
     * ({@code outC x C*kH*kW}) is large enough to run at its best, and measured faster: 32 -> 64 channels at
     * stride 2 on 14 x 14 took 2.1 ms at batch 128 against 3.4 here, and 64 -> 64 on 7 x 7 3.7 against 6.1.
     */
    private static final int MAX_GRADIENT_CHANNELS = 16;

    private WideDirectConvolution() {
    }

    /**
     * Whether spec's forward pass is computed here: on hardware vectors ({@link FloatLoops#vectorized}), ungrouped,
     * with taps in every stride phase, at most {@link #MAX_WASTE} columns computed per column kept, and an image
     * copy that takes at most half of a core's L2 cache, which every block of four output channels reads through
     * once.
     */
    static boolean serves(ConvSpec spec) {
        ConvGeometry g = spec.geometry();
        Layout layout = new Layout(g, 1);
        return FloatLoops.IN_USE.vectorized() && spec.groups() == 1 && layout.waste() <= MAX_WASTE
                && layout.readsEveryPhase()
                && 2L * Float.BYTES * layout.floats <= Sgemm.l2Bytes();
    }

    /** {@code y = conv(x, w)}, as {@link dev.cortado.backend.Backend#convolutionForward}. */
    static void forward(ConvSpec spec, float[] x, int xo, float[] w, int wo, float[] y, int yo) {
        ConvGeometry g = spec.geometry();
        Layout layout = new Layout(g, 1);
        int[] offsets = layout.tapOffsets();
        int taps = g.columnRows();
        int outChannels = spec.outChannels();
        int blocks = (outChannels + 3) / 4;
        float[] lastWeights = DirectConvolution.lastChannels(spec, w, wo, 4);
        int imageSize = g.channels() * g.height() * g.width();
        int outPlane = spec.outPlane();
        FloatLoops loops = FloatLoops.IN_USE;
        Parallel.forRange(g.batch() * blocks, 1, (from, to) -> {
            DirectScratch scratch = DirectScratch.ofThread();
            float[] image = scratch.zeroedCopy(layout.floats);
            float[] sums = scratch.planes(4 * layout.columns);
            int copied = -1;
            for (int unit = from; unit < to; unit++) {
                int n = unit / blocks;
                int o = unit % blocks * 4;
                if (n != copied) {
                    layout.copyIn(x, xo + n * imageSize, image, 0);
                    copied = n;
                }
                boolean whole = o + 4 <= outChannels;
                loops.convolveFour(image, 0, offsets, taps, whole ? w : lastWeights, whole ? wo + o * taps : 0,
                        sums, 0, layout.columns, layout.columns);
                layout.copyOut(sums, Math.min(4, outChannels - o), y, yo + (n * outChannels + o) * outPlane);
            }
        });
    }

    /**
     * Whether spec's weight gradient is computed here: where {@link #serves} its forward pass, on inputs of at most
     * {@link #MAX_GRADIENT_CHANNELS} channels, with at least {@link #MIN_GRADIENT_COLUMNS} columns in the run of the
     * images copied at a time.
     */
    static boolean servesWeightGradient(ConvSpec spec) {
        return serves(spec) && spec.geometry().channels() <= MAX_GRADIENT_CHANNELS
                && gradientLayout(spec.geometry()).columns >= MIN_GRADIENT_COLUMNS;
    }

    /** Columns computed per output column on the wide rows: 1 where every column is kept, up to {@link #MAX_WASTE}. */
    static double waste(ConvSpec spec) {
        return new Layout(spec.geometry(), 1).waste();
    }

    /**
     * The weight gradient's copy: of as many images at a time as a part of the batch has
     * ({@link DirectConvolution#imagesPerPart}), up to half of a core's L2 cache. One run then spans them all, so
     * each block's sums across a vector's lanes are taken once for them, not once an image.
     */
    private static Layout gradientLayout(ConvGeometry g) {
        long imageBytes = (long) Float.BYTES * new Layout(g, 1).floats;
        int fit = (int) Math.max(1, Sgemm.l2Bytes() / (2 * imageBytes));
        return new Layout(g, Math.min(fit, DirectConvolution.imagesPerPart(g.batch())));
    }

    /**
     * {@code dw += dL/dw}, as {@link dev.cortado.backend.Backend#convolutionBackwardWeight}: for a few images at a
     * time ({@link #gradientLayout}), the sums over their wide rows of dy's planes (widened with zeros in the dropped
     * columns and between the images) times the taps' runs, four planes by four taps at a time
     * ({@link FloatLoops#correlateFour}), summed over the images in fixed parts
     * ({@link DirectConvolution#sumOverImages}).
     */
    static void backwardWeight(ConvSpec spec, float[] x, int xo, float[] dy, int dyo, float[] dw, int dwo) {
        ConvGeometry g = spec.geometry();
        Layout layout = gradientLayout(g);
        int taps = g.columnRows();
        int[] offsets = DirectConvolution.Block.FOUR_BY_FOUR.filledUp(layout.tapOffsets());
        int outChannels = spec.outChannels();
        int planes = (outChannels + 3) / 4 * 4;
        int imageSize = g.channels() * g.height() * g.width();
        int outputSize = outChannels * spec.outPlane();
        DirectConvolution.sumOverImages(g.batch(), spec.weightSize(), (first, end, partials, partial) -> {
            DirectScratch scratch = DirectScratch.ofThread();
            float[] image = scratch.zeroedCopy(layout.floats);
            float[] grad = scratch.planes(planes * layout.columns);
            for (int n = first; n < end; n += layout.images) {
                int images = Math.min(layout.images, end - n);
                for (int m = 0; m < images; m++) {
                    layout.copyIn(x, xo + (n + m) * imageSize, image, m);
                }
                int run = layout.run(images);
                layout.widen(dy, dyo + n * outputSize, outChannels, images, grad, run);
                for (int o = 0; o < outChannels; o += 4) {
                    DirectConvolution.addBlockSums(DirectConvolution.Block.FOUR_BY_FOUR, grad, o * run, run,
                            Math.min(4, outChannels - o), image, offsets, taps, scratch.blockSums, partials,
                            partial + o * taps, run);
                }
            }
        }, dw, dwo);
    }

    /**
     * Where an image's zero-bordered phase planes, its zero tail and the taps' runs lie, and how many columns are
     * computed. At stride s the padded image is laid out as its s*s phases (every s-th row and column from each
     * row and column offset below s, as in {@link StridePhases}), so that a tap reads one phase at a fixed shift
     * and the output's sums are again runs over whole rows; at stride 1 the only phase is the padded plane.
     */
    private static final class Layout {
        private final ConvGeometry g;
        private final int stride;
        /** Rows of a phase plane: every row of the padded image lies in one. */
        private final int phaseRows;
        /** Floats of a phase's row, and the step between the output's rows of sums. */
        private final int rowFloats;
        /** Images in the copy, each phase plane of each image after the same one of the image before. */
        final int images;
        /** Columns computed per output channel: the run of the images' padded rows, rounded up to whole vectors. */
        final int columns;
        /** Floats of the copy, the tail included: up to the end of the furthest tap's run. */
        final int floats;

        Layout(ConvGeometry g, int images) {
            this.g = g;
            this.images = images;
            stride = g.stride();
            phaseRows = (g.height() + 2 * g.padding() + stride - 1) / stride;
            rowFloats = (g.width() + 2 * g.padding() + stride - 1) / stride;
            columns = run(images);
            int furthest = 0;
            for (int i = 0; i < g.kernelH(); i++) {
                for (int j = 0; j < g.kernelW(); j++) {
                    furthest = Math.max(furthest, offset(g.channels() - 1, i, j));
                }
            }
            floats = furthest + columns;
        }

        /**
         * Whether the taps read every phase, which a kernel smaller than the stride does not (a 1x1 kernel at
         * stride 2 reads one phase in four, and the column matrix of that one is cheaper than copying all four).
         */
        boolean readsEveryPhase() {
            return readsEveryPhase(g.kernelH()) && readsEveryPhase(g.kernelW());
        }

        /** Whether the taps {@code 0, d, ..., (k-1)*d} of a kernel's axis meet every offset below the stride. */
        private boolean readsEveryPhase(int kernel) {
            boolean[] read = new boolean[stride];
            for (int i = 0; i < kernel; i++) {
                read[i * g.dilation() % stride] = true;
            }
            for (boolean phase : read) {
                if (!phase) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Columns computed over the first {@code count} images: from the first's first output row to the last's
         * last, rounded up to whole vectors.
         */
        int run(int count) {
            int last = (count - 1) * phasePlane() + g.outHeight() * rowFloats;
            return (last + VECTOR_FLOATS - 1) / VECTOR_FLOATS * VECTOR_FLOATS;
        }

        /** Computed columns per column kept. */
        double waste() {
            return (double) rowFloats / g.outWidth();
        }

        private int phasePlane() {
            return phaseRows * rowFloats;
        }

        /** Where phase {@code (a, b)} of padded plane c of the first image starts. */
        private int phaseStart(int c, int a, int b) {
            return ((c * stride + a) * stride + b) * images * phasePlane();
        }

        /** Where tap {@code (c, i, j)}'s run starts: its phase, shifted by the whole strides in its offset. */
        private int offset(int c, int i, int j) {
            int y = i * g.dilation();
            int x = j * g.dilation();
            return phaseStart(c, y % stride, x % stride) + y / stride * rowFloats + x / stride;
        }

        /** Where each tap's run starts, in the order of the weights' column; built once per op. */
        int[] tapOffsets() {
            return DirectConvolution.tapOffsets(g, this::offset);
        }

        /** Copies an NCHW image from {@code x[xo]} into the inside of image m's phase planes. */
        void copyIn(float[] x, int xo, float[] image, int m) {
            for (int c = 0; c < g.channels(); c++) {
                for (int y = 0; y < g.height(); y++) {
                    copyRow(x, xo + (c * g.height() + y) * g.width(), image, m, c, g.padding() + y);
                }
            }
        }

        /** Copies an image row of plane c, row {@code padY} of the padded plane, into image m's phases' rows. */
        private void copyRow(float[] x, int from, float[] image, int m, int c, int padY) {
            int p = g.padding();
            int w = g.width();
            int a = padY % stride;
            int row = m * phasePlane() + padY / stride * rowFloats;
            if (stride == 1) {
                System.arraycopy(x, from, image, phaseStart(c, 0, 0) + row + p, w);
            } else if (stride == 2 && w % 2 == 0) {
                StridePhases.movePairs(x, from, image, phaseStart(c, a, p % 2) + row + p / 2,
                        phaseStart(c, a, (p + 1) % 2) + row + (p + 1) / 2, w / 2, true);
            } else {
                for (int b = 0; b < stride; b++) {
                    int first = Math.floorMod(b - p, stride);
                    int inside = (w - first + stride - 1) / stride;
                    StridePhases.moveRow(x, from + first, stride, inside, image,
                            phaseStart(c, a, b) + row + (p + first) / stride, inside, true);
                }
            }
        }

        /**
         * Lays the {@code channels} NCHW planes of {@code count} images from {@code y[yo]} out as rows of sums, each
         * image's as {@link #copyOut} reads them and at the offset of its copy, rows {@code ldy} apart; with zeros
         * in the dropped columns and between the images, filled up to a multiple of four rows with zeros.
         */
        void widen(float[] y, int yo, int channels, int count, float[] sums, int ldy) {
            int outW = g.outWidth();
            int outPlane = g.outHeight() * outW;
            Arrays.fill(sums, 0, (channels + 3) / 4 * 4 * ldy, 0f);
            for (int m = 0; m < count; m++) {
                for (int r = 0; r < channels; r++) {
                    for (int oy = 0; oy < g.outHeight(); oy++) {
                        System.arraycopy(y, yo + (m * channels + r) * outPlane + oy * outW, sums,
                                r * ldy + m * phasePlane() + oy * rowFloats, outW);
                    }
                }
            }
        }

        /** Copies the output columns of {@code channels} rows of sums into NCHW planes from {@code y[yo]}. */
        void copyOut(float[] sums, int channels, float[] y, int yo) {
            int outW = g.outWidth();
            int outPlane = g.outHeight() * outW;
            for (int r = 0; r < channels; r++) {
                for (int oy = 0; oy < g.outHeight(); oy++) {
                    System.arraycopy(sums, r * columns + oy * rowFloats, y, yo + r * outPlane + oy * outW, outW);
                }
            }
        }
    }
}
