package dev.cortado.cpu;

import dev.cortado.backend.ConvGeometry;
import java.util.Arrays;

/**
 * The column matrix of a strided convolution, unfolded from the image's stride phases. At stride s, phase
 * {@code (py, px)} of a plane is the plane of every s-th row from row py and every s-th column from column px. A
 * kernel tap {@code (i, j)} reads, for every output pixel, one phase at a fixed shift: input row
 * {@code oy*s - p + i} is row {@code oy + floorDiv(i - p, s)} of the phases with {@code py = floorMod(i - p, s)}.
 * So each column-matrix row is a stride-1 shifted copy of a phase plane ({@link ConvolutionOps#unfoldShifted}),
 * a whole plane in one copy where the output is as wide as the phases (ResNet's stride-2 3x3 convolutions), where
 * the plain unfold gathers float by float, one short output row at a time. The input gradient's column matrix
 * folds back the same way: each row is added into its phase plane in one vector run, and the phases are then
 * interleaved into the image, where col2im adds float by float at the stride.
 *
 * <p>Every phase plane is {@code ceil(H/s) x ceil(W/s)}; where H or W is not a multiple of s, a phase's missing
 * last row or column is zero, as the padding it stands for.
 */
final class StridePhases {
    private final ConvGeometry g;
    private final int phaseHeight;
    private final int phaseWidth;
    /** Per column-matrix row {@code (c, i, j)}: the start of the phase plane it reads in an image's phases... */
    private final int[] phaseStart;
    /** ... and the shift at which output pixel {@code (oy, ox)} reads it. */
    private final int[] yShift;
    private final int[] xShift;

    /** The phases of images of g (whose batch is ignored), which must be {@link #serves served}. */
    StridePhases(ConvGeometry g) {
        this.g = g;
        int s = g.stride();
        phaseHeight = (g.height() + s - 1) / s;
        phaseWidth = (g.width() + s - 1) / s;
        int rows = g.columnRows();
        phaseStart = new int[rows];
        yShift = new int[rows];
        xShift = new int[rows];
        for (int row = 0; row < rows; row++) {
            int c = row / (g.kernelH() * g.kernelW());
            int ty = (row / g.kernelW()) % g.kernelH() - g.padding();
            int tx = row % g.kernelW() - g.padding();
            int phase = (c * s + Math.floorMod(ty, s)) * s + Math.floorMod(tx, s);
            phaseStart[row] = phase * phaseHeight * phaseWidth;
            yShift[row] = Math.floorDiv(ty, s);
            xShift[row] = Math.floorDiv(tx, s);
        }
    }

    /**
     * Whether g unfolds through its phases: strided, without dilation, and with a kernel at least as large as the
     * stride on each axis, so that every phase is read (a 1x1 kernel at stride 2 reads one phase in four).
     */
    static boolean serves(ConvGeometry g) {
        int s = g.stride();
        return s > 1 && g.dilation() == 1 && g.kernelH() >= s && g.kernelW() >= s;
    }

    /** Floats of one image's phases. */
    int imageFloats() {
        return g.channels() * g.stride() * g.stride() * phaseHeight * phaseWidth;
    }

    /**
     * Writes the column matrix of {@code images} images from {@code x[xo]} (NCHW) to {@code columns}, laid out as
     * {@link ConvolutionOps#im2col} lays out a batch of that many, using {@code phases} ({@link #imageFloats} at
     * least) for each image's phases.
     */
    void unfold(float[] x, int xo, int images, float[] phases, float[] columns) {
        int plane = g.outHeight() * g.outWidth();
        int imageSize = g.channels() * g.height() * g.width();
        for (int n = 0; n < images; n++) {
            move(x, xo + n * imageSize, phases, true);
            for (int row = 0; row < g.columnRows(); row++) {
                ConvolutionOps.unfoldShifted(phases, phaseStart[row], phaseHeight, phaseWidth, yShift[row],
                        xShift[row], g.outHeight(), g.outWidth(), columns, (row * images + n) * plane);
            }
        }
    }

    /**
     * The inverse of {@link #unfold}: adds each column-matrix entry of {@code images} images into the input element
     * it was copied from, writing {@code dx[dxo]} (NCHW), as {@link ConvolutionOps#col2im} does. Clobbers the
     * entries of {@code columns} that fall in the padding.
     */
    void fold(float[] columns, int images, float[] phases, float[] dx, int dxo) {
        int plane = g.outHeight() * g.outWidth();
        int imageSize = g.channels() * g.height() * g.width();
        for (int n = 0; n < images; n++) {
            Arrays.fill(phases, 0, imageFloats(), 0f);
            for (int row = 0; row < g.columnRows(); row++) {
                ConvolutionOps.foldShifted(columns, (row * images + n) * plane, g.outHeight(), g.outWidth(),
                        yShift[row], xShift[row], phases, phaseStart[row], phaseHeight, phaseWidth);
            }
            move(dx, dxo + n * imageSize, phases, false);
        }
    }

    /**
     * {@code phases[c][py][px][a][b] = x[c][a*s + py][b*s + px]} for one image, with 0 past the plane; or, with
     * {@code toPhases} false, the other way round, every element of the image written once.
     */
    private void move(float[] x, int xo, float[] phases, boolean toPhases) {
        int s = g.stride();
        int height = g.height();
        int width = g.width();
        int phasePlane = phaseHeight * phaseWidth;
        for (int c = 0; c < g.channels(); c++) {
            for (int py = 0; py < s; py++) {
                for (int a = 0; a < phaseHeight; a++) {
                    int iy = a * s + py;
                    int image = xo + (c * height + iy) * width;
                    int first = ((c * s + py) * s) * phasePlane + a * phaseWidth;
                    if (iy >= height) {
                        if (toPhases) {
                            for (int px = 0; px < s; px++) {
                                int row = first + px * phasePlane;
                                Arrays.fill(phases, row, row + phaseWidth, 0f);
                            }
                        }
                    } else if (s == 2 && width % 2 == 0) {
                        movePairs(x, image, phases, first, first + phasePlane, phaseWidth, toPhases);
                    } else {
                        for (int px = 0; px < s; px++) {
                            moveRow(x, image + px, s, (width - px + s - 1) / s, phases, first + px * phasePlane,
                                    phaseWidth, toPhases);
                        }
                    }
                }
            }
        }
    }

    /**
     * Stride 2's two phase rows of an image row of {@code 2 * pairs} floats, {@link #move}d in one loop: about a
     * third faster than a strided loop per phase, for ResNet's 14- and 7-float phase rows. Also the copy into
     * {@link WideDirectConvolution}'s padded phases.
     */
    static void movePairs(float[] x, int image, float[] phases, int even, int odd, int pairs,
                                  boolean toPhases) {
        if (toPhases) {
            for (int b = 0; b < pairs; b++) {
                phases[even + b] = x[image + 2 * b];
                phases[odd + b] = x[image + 2 * b + 1];
            }
        } else {
            for (int b = 0; b < pairs; b++) {
                x[image + 2 * b] = phases[even + b];
                x[image + 2 * b + 1] = phases[odd + b];
            }
        }
    }

    /** One phase row of an image row, its {@code inside} columns {@link #move}d (and the rest zeroed in phases). */
    static void moveRow(float[] x, int image, int s, int inside, float[] phases, int row, int phaseWidth,
                                boolean toPhases) {
        for (int b = 0; b < inside; b++) {
            if (toPhases) {
                phases[row + b] = x[image + b * s];
            } else {
                x[image + b * s] = phases[row + b];
            }
        }
        if (toPhases) {
            Arrays.fill(phases, row + inside, row + phaseWidth, 0f);
        }
    }
}
