package dev.cortado.cpu;

import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
import java.util.Arrays;

/**
 * Input gradients of stride-1 convolutions whose image rows fit one vector, such as LeNet-5's second convolution
 * (rows of 14 floats, 16 lanes), with a row of dx in a vector's lanes: {@code dx[c][y][x]} is the sum over o, i, j
 * of {@code w[o][c][i][j] * dy[o][y + p - i][x + p - j]}. Each image's dy is copied inside a zero border into rows
 * a vector and a kernel row wide, so that tap (o, i, j) of a whole row of dx is one load of the copy, whatever x.
 * {@link FloatLoops#rowPairProducts} keeps two rows of dx by six channels in registers and takes, per tap, two
 * loads of the copy and six broadcast floats of the weights for twelve multiply-adds. A pair of rows takes the taps
 * that reach either row; the other row then reads one of the zero rows above and below each plane.
 *
 * <p>The column matrix's gradient instead writes {@code kH*kW} times dx and folds it back (a third of the op's time
 * at LeNet-5's shape), and the forward convolution of dy that the input gradient also is multiplies every zero of
 * a border as wide as the kernel (half of the products at LeNet-5's shape).
 */
final class RowInputGradient {
    private static final int CHANNELS = FloatLoops.ROW_CHANNELS;
    /**
     * Most output channels: the column matrix's GEMM multiplies over them, and with more it pays for its fold.
     * Against it, on two threads: 16 -> 32 channels at 14 x 14 (512 bits) and at 7 x 7 (256 bits) 20-25% faster
     * here, 32 -> 64 at 14 x 14 or 7 x 7 3% slower.
     */
    private static final int MAX_OUT_CHANNELS = 32;
    /**
     * Fewest taps ({@code outC*kH*kW}) a pair of rows may take: each pair's sums and rows of dx cost about what a few
     * dozen taps do. 16 -> 32 channels by 1x1 kernels (32 taps) took twice the column matrix's time, 4 -> 8 by 3x3
     * kernels (72) 0.6 of it.
     */
    private static final int MIN_TAPS = 64;

    private RowInputGradient() {
    }

    /**
     * Whether spec's input gradient is computed here: on hardware vectors ({@link FloatLoops#vectorized}),
     * ungrouped, stride 1 without dilation, a padding smaller than the kernel, image rows that fill at least three
     * quarters of a vector (the lanes past a row are computed and dropped), at most {@link #MAX_OUT_CHANNELS}
     * output channels and at least {@link #MIN_TAPS} taps.
     */
    static boolean serves(ConvSpec spec) {
        ConvGeometry g = spec.geometry();
        int lanes = FloatLoops.IN_USE.lanes();
        return FloatLoops.IN_USE.vectorized() && spec.groups() == 1 && g.stride() == 1 && g.dilation() == 1
                && g.width() <= lanes && 4 * g.width() >= 3 * lanes
                && g.padding() < g.kernelH() && g.padding() < g.kernelW() && spec.outChannels() <= MAX_OUT_CHANNELS
                && spec.outChannels() * g.kernelH() * g.kernelW() >= MIN_TAPS;
    }

    /**
     * {@code dx = dL/dx}, as {@link dev.cortado.backend.Backend#convolutionBackwardInput}: images shared out, each
     * in blocks of six input channels by pairs of rows.
     */
    static void backwardInput(ConvSpec spec, float[] w, int wo, float[] dy, int dyo, float[] dx, int dxo) {
        Layout layout = new Layout(spec);
        float[] packed = layout.packWeights(w, wo, DirectScratch.ofThread().partials(layout.packedFloats()));
        FloatLoops loops = FloatLoops.IN_USE;
        int sumFloats = 2 * CHANNELS * loops.lanes();
        Parallel.forRange(spec.geometry().batch(), 1, (from, to) -> {
            DirectScratch scratch = DirectScratch.ofThread();
            float[] copy = scratch.zeroedCopy(layout.copyFloats);
            float[] sums = scratch.planes(sumFloats);
            for (int n = from; n < to; n++) {
                layout.copyInside(dy, dyo + n * layout.outputSize, copy);
                for (int block = 0; block < layout.blocks; block++) {
                    for (int pair = 0; pair < layout.pairs; pair++) {
                        int first = layout.pairStarts[pair];
                        Arrays.fill(sums, 0, sumFloats, 0f);
                        loops.rowPairProducts(copy, 0, layout.rowAt, layout.rowWidth, packed,
                                block * layout.blockFloats, layout.weightAt, first,
                                layout.pairStarts[pair + 1] - first, CHANNELS, sums, 0);
                        layout.copyOut(sums, block, pair, dx, dxo + n * layout.imageSize);
                    }
                }
            }
        });
    }

    /**
     * The copy of an image's dy, {@code outC} planes of {@code (outH + 2) x rowWidth} floats, dy's rows one row
     * down and {@code kW - 1 - p} columns in; the weights in blocks of six input channels, a tap's six together;
     * and the steps of each pair of rows: where tap (o, i, j)'s two rows of the copy start, and its weights.
     */
    private static final class Layout {
        final int rowWidth;
        final int blocks;
        final int blockFloats;
        final int pairs;
        final int[] pairStarts;
        final int[] rowAt;
        final int[] weightAt;
        final int imageSize;
        final int outputSize;
        private final ConvGeometry g;
        private final int outChannels;
        private final int outHeight;
        private final int plane;
        final int copyFloats;

        Layout(ConvSpec spec) {
            g = spec.geometry();
            outChannels = spec.outChannels();
            outHeight = g.outHeight();
            rowWidth = FloatLoops.IN_USE.lanes() + g.kernelW() - 1;
            plane = (outHeight + 2) * rowWidth;
            copyFloats = outChannels * plane;
            blocks = (g.channels() + CHANNELS - 1) / CHANNELS;
            int taps = outChannels * g.kernelH() * g.kernelW();
            blockFloats = taps * CHANNELS;
            imageSize = (int) (g.imageSize() / g.batch());
            outputSize = (int) (spec.outputSize() / g.batch());
            pairs = (g.height() + 1) / 2;
            pairStarts = new int[pairs + 1];
            rowAt = new int[pairs * taps];
            weightAt = new int[pairs * taps];
            int steps = 0;
            for (int pair = 0; pair < pairs; pair++) {
                pairStarts[pair] = steps;
                int y = 2 * pair;
                for (int t = 0; t < taps; t++) {
                    int i = t / g.kernelW() % g.kernelH();
                    int j = t % g.kernelW();
                    int row = y + g.padding() - i;
                    if (reaches(row) || y + 1 < g.height() && reaches(row + 1)) {
                        rowAt[steps] = t / (g.kernelH() * g.kernelW()) * plane + (row + 1) * rowWidth
                                + g.kernelW() - 1 - j;
                        weightAt[steps] = t * CHANNELS;
                        steps++;
                    }
                }
            }
            pairStarts[pairs] = steps;
        }

        /** Whether row is one of dy's. */
        private boolean reaches(int row) {
            return row >= 0 && row < outHeight;
        }

        int packedFloats() {
            return blocks * blockFloats;
        }

        /** {@code packed[(b*taps + t)*6 + k] = w[o][6b + k][i][j]} for tap {@code t = (o, i, j)}, 0 past the last. */
        float[] packWeights(float[] w, int wo, float[] packed) {
            int kernel = g.kernelH() * g.kernelW();
            int taps = blockFloats / CHANNELS;
            Arrays.fill(packed, 0, packedFloats(), 0f);
            for (int t = 0; t < taps; t++) {
                int o = t / kernel;
                for (int c = 0; c < g.channels(); c++) {
                    packed[(c / CHANNELS * taps + t) * CHANNELS + c % CHANNELS] =
                            w[wo + (o * g.channels() + c) * kernel + t % kernel];
                }
            }
            return packed;
        }

        /** Copies an image's dy into its places in copy. */
        void copyInside(float[] dy, int dyo, float[] copy) {
            int width = g.outWidth();
            int from = dyo;
            for (int o = 0; o < outChannels; o++) {
                int to = o * plane + rowWidth + g.kernelW() - 1 - g.padding();
                for (int row = 0; row < outHeight; row++, from += width, to += rowWidth) {
                    // a loop, not System.arraycopy: for rows of ten floats, 4% of the op's time less
                    for (int q = 0; q < width; q++) {
                        copy[to + q] = dy[from + q];
                    }
                }
            }
        }

        /** Writes the rows of dx of a block of channels and a pair of rows, from sums, to an image's dx. */
        void copyOut(float[] sums, int block, int pair, float[] dx, int dxo) {
            int lanes = FloatLoops.IN_USE.lanes();
            for (int r = 0; r < 2 && 2 * pair + r < g.height(); r++) {
                for (int k = 0; k < CHANNELS && block * CHANNELS + k < g.channels(); k++) {
                    System.arraycopy(sums, (r * CHANNELS + k) * lanes, dx,
                            dxo + ((block * CHANNELS + k) * g.height() + 2 * pair + r) * g.width(), g.width());
                }
            }
        }
    }
}
