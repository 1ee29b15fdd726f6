package dev.cortado.cpu;

import dev.cortado.backend.ConvGeometry;
import java.util.Arrays;

/**
 * im2col, col2im and the axis swap that turns a convolution GEMM's {@code (C_out, N, H*W)} output into NCHW.
 *
 * <p>For a kernel offset {@code (i, j)} and an output row {@code oy}, the output columns {@code ox} whose input
 * column lies inside the image form one interval; inside it the input is read at a fixed stride (a straight copy
 * when the stride is 1) and outside it the columns are padding. Both ops walk those intervals, so the inner loop
 * is a contiguous run over {@code ox}, and im2col zeroes only the padding.
 */
final class ConvolutionOps {
    private ConvolutionOps() {
    }

    /**
     * Unfolds the image into the column matrix. Tasks own disjoint (column-matrix row, image) pairs, each a
     * contiguous {@code outH*outW} run of one row, so writes never race.
     */
    static void im2col(ConvGeometry g, float[] image, int io, float[] columns, int co) {
        int batch = g.batch();
        int plane = g.outHeight() * g.outWidth();
        int grain = Math.max(1, ElementwiseOps.GRAIN / plane);
        Parallel.forRange(g.columnRows() * batch, grain, (from, to) -> {
            for (int item = from; item < to; item++) {
                int row = item / batch;
                int n = item - row * batch;
                unfold(g, row, image, io + (n * g.channels() + row / (g.kernelH() * g.kernelW()))
                        * g.height() * g.width(), columns, co + (row * batch + n) * plane);
            }
        });
    }

    /** Writes the {@code outH x outW} block of column-matrix row {@code row} for one image plane. */
    private static void unfold(ConvGeometry g, int row, float[] image, int planeStart, float[] columns, int dst) {
        if (g.stride() == 1 && g.dilation() == 1) {
            unfoldUnitStride(g, row, image, planeStart, columns, dst);
            return;
        }
        int kw = g.kernelW();
        int i = (row / kw) % g.kernelH();
        int j = row % kw;
        int outH = g.outHeight();
        int outW = g.outWidth();
        int stride = g.stride();
        int xShift = j * g.dilation() - g.padding();
        int oxLo = firstInside(xShift, stride, outW);
        int oxHi = endInside(xShift, stride, g.width(), outW, oxLo);
        for (int oy = 0; oy < outH; oy++) {
            int iy = oy * stride - g.padding() + i * g.dilation();
            int d = dst + oy * outW;
            if (iy < 0 || iy >= g.height()) {
                Arrays.fill(columns, d, d + outW, 0f);
                continue;
            }
            zero(columns, d, d + oxLo);
            int s = planeStart + iy * g.width() + oxLo * stride + xShift;
            for (int ox = oxLo; ox < oxHi; ox++) {
                columns[d + ox] = image[s + (ox - oxLo) * stride];
            }
            zero(columns, d + oxHi, d + outW);
        }
    }

    /**
     * {@link #unfold} at stride 1 without dilation: output row oy reads input row {@code oy + yShift} shifted by
     * xShift. Rows above and below the image are zeroed in one run each. Where the output is as wide as the input
     * (a "same" convolution) the rows inside follow each other in the input as in the output, so one copy moves
     * them all and only the few padding columns, which it fills from the neighbouring rows, are zeroed after;
     * otherwise each row is a copy of its own. (A vector copy of a short row, which C2 compiled without the Vector
     * API's intrinsics in some runs once inlined into this loop, cost more than System.arraycopy there.)
     */
    private static void unfoldUnitStride(ConvGeometry g, int row, float[] image, int planeStart, float[] columns,
                                         int dst) {
        int kw = g.kernelW();
        int yShift = (row / kw) % g.kernelH() - g.padding();
        int xShift = row % kw - g.padding();
        unfoldShifted(image, planeStart, g.height(), g.width(), yShift, xShift, g.outHeight(), g.outWidth(), columns,
                dst);
    }

    /**
     * {@code columns[dst + oy*outW + ox] = plane[oy + yShift][ox + xShift]} of the {@code height x width} plane
     * at planeStart, or 0 outside it: a column-matrix row of a stride-1 unfold (see {@link #unfoldUnitStride}).
     */
    static void unfoldShifted(float[] plane, int planeStart, int height, int width, int yShift, int xShift, int outH,
                              int outW, float[] columns, int dst) {
        int oyLo = Math.min(outH, Math.max(0, -yShift));
        int oyHi = Math.max(oyLo, Math.min(outH, height - yShift));
        int oxLo = firstInside(xShift, 1, outW);
        int oxHi = endInside(xShift, 1, width, outW, oxLo);
        Arrays.fill(columns, dst, dst + oyLo * outW, 0f);
        if (oxHi == oxLo) { // every column in the padding
            Arrays.fill(columns, dst + oyLo * outW, dst + outH * outW, 0f);
            return;
        }
        int source = planeStart + yShift * width + xShift; // plane index of output (0, 0), maybe outside the plane
        if (outW == width) {
            int first = oyLo * outW + oxLo;
            int last = (oyHi - 1) * outW + oxHi;
            if (last > first) {
                System.arraycopy(plane, source + first, columns, dst + first, last - first);
            }
        }
        for (int oy = oyLo; oy < oyHi; oy++) {
            int d = dst + oy * outW;
            zero(columns, d, d + oxLo);
            if (outW != width) {
                System.arraycopy(plane, source + oy * width + oxLo, columns, d + oxLo, oxHi - oxLo);
            }
            zero(columns, d + oxHi, d + outW);
        }
        Arrays.fill(columns, dst + oyHi * outW, dst + outH * outW, 0f);
    }

    /**
     * The inverse of {@link #unfoldShifted}: {@code plane[oy + yShift][ox + xShift] += columns[src + oy*outW + ox]}
     * where that lies in the {@code height x width} plane at planeStart. Where the output is as wide as the plane
     * the entries that fall in the padding columns are zeroed first, so that the rest are added in one run.
     */
    static void foldShifted(float[] columns, int src, int outH, int outW, int yShift, int xShift, float[] plane,
                            int planeStart, int height, int width) {
        int oyLo = Math.min(outH, Math.max(0, -yShift));
        int oyHi = Math.max(oyLo, Math.min(outH, height - yShift));
        int oxLo = firstInside(xShift, 1, outW);
        int oxHi = endInside(xShift, 1, width, outW, oxLo);
        if (oxHi == oxLo || oyHi == oyLo) {
            return;
        }
        int target = planeStart + yShift * width + xShift - src; // plane index of columns[i] is i + target
        if (outW == width) {
            for (int oy = oyLo; oy < oyHi; oy++) {
                int s = src + oy * outW;
                zero(columns, s, s + oxLo);
                zero(columns, s + oxHi, s + outW);
            }
            int first = src + oyLo * outW + oxLo;
            FloatLoops.IN_USE.addTo(columns, first, plane, first + target, (oyHi - 1 - oyLo) * outW + oxHi - oxLo);
            return;
        }
        for (int oy = oyLo; oy < oyHi; oy++) {
            int first = src + oy * outW + oxLo;
            FloatLoops.IN_USE.addTo(columns, first, plane, first + target + oy * (width - outW), oxHi - oxLo);
        }
    }

    /** Zeroes {@code a[from, to)}, a run of a few floats at most: a plain loop costs less than a call. */
    private static void zero(float[] a, int from, int to) {
        for (int t = from; t < to; t++) {
            a[t] = 0f;
        }
    }

    /**
     * Folds the column matrix back: each image element is the sum of the entries copied from it. Tasks own whole
     * (n, c) image planes, so the additions never race.
     */
    static void col2im(ConvGeometry g, float[] columns, int co, float[] image, int io) {
        int planeSize = g.height() * g.width();
        long work = (long) g.kernelH() * g.kernelW() * g.outHeight() * g.outWidth();
        int grain = (int) Math.max(1, ElementwiseOps.GRAIN / work);
        Parallel.forRange(g.batch() * g.channels(), grain, (from, to) -> {
            for (int p = from; p < to; p++) {
                int dst = io + p * planeSize;
                Arrays.fill(image, dst, dst + planeSize, 0f);
                fold(g, p / g.channels(), p % g.channels(), columns, co, image, dst);
            }
        });
    }

    /**
     * Adds into one image plane {@code (n, c)} every column-matrix entry taken from it, kernel row by kernel row
     * and column by column, so each element adds its entries in the same order whichever loop runs.
     */
    private static void fold(ConvGeometry g, int n, int c, float[] columns, int co, float[] image, int dst) {
        int kh = g.kernelH();
        int kw = g.kernelW();
        int outH = g.outHeight();
        int outW = g.outWidth();
        int stride = g.stride();
        int plane = outH * outW;
        long cols = g.columnCols();
        if (stride == 1 && g.dilation() == 1) {
            // all of a kernel row's columns at once, an image row at a time
            int planeEnd = dst + g.height() * g.width();
            for (int i = 0; i < kh; i++) {
                int first = co + (int) ((c * kh + i) * kw * cols) + n * plane;
                for (int oy = 0; oy < outH; oy++) {
                    int iy = oy - g.padding() + i;
                    if (iy >= 0 && iy < g.height()) {
                        int row = dst + iy * g.width();
                        FloatLoops.IN_USE.foldRow(columns, first + oy * outW, (int) cols, kw, outW, g.padding(), image,
                                row, g.width(), planeEnd - row);
                    }
                }
            }
            return;
        }
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                int src = co + (int) (((c * kh + i) * kw + j) * cols) + n * plane;
                int xShift = j * g.dilation() - g.padding();
                int oxLo = firstInside(xShift, stride, outW);
                int oxHi = endInside(xShift, stride, g.width(), outW, oxLo);
                int run = oxHi - oxLo;
                for (int oy = 0; oy < outH; oy++) {
                    int iy = oy * stride - g.padding() + i * g.dilation();
                    if (iy < 0 || iy >= g.height() || run == 0) {
                        continue;
                    }
                    int s = src + oy * outW + oxLo;
                    int d = dst + iy * g.width() + oxLo * stride + xShift;
                    for (int t = 0; t < run; t++) {
                        image[d + t * stride] += columns[s + t];
                    }
                }
            }
        }
    }

    /** {@code image[row + ox + shift] += columns[src + ox]} for {@code ox < outW} where that lies in [0, w). */
    static void addShifted(float[] columns, int src, int outW, int shift, float[] image, int row, int w) {
        int lo = Math.max(0, -shift);
        int hi = Math.min(outW, w - shift);
        for (int ox = lo; ox < hi; ox++) {
            image[row + ox + shift] += columns[src + ox];
        }
    }

    /** The first {@code ox} with {@code ox*stride + xShift >= 0}, at most {@code outW}. */
    private static int firstInside(int xShift, int stride, int outW) {
        return xShift >= 0 ? 0 : Math.min(outW, (-xShift + stride - 1) / stride);
    }

    /** One past the last {@code ox} with {@code ox*stride + xShift < width}, at least {@code oxLo}. */
    private static int endInside(int xShift, int stride, int width, int outW, int oxLo) {
        int room = width - xShift;
        int end = room <= 0 ? 0 : Math.min(outW, (room + stride - 1) / stride);
        return Math.max(oxLo, end);
    }

    /** {@code dst[j][i][k] = src[i][j][k]} for a {@code (a, b, c)} tensor; tasks own runs of dst. */
    static void swapLeadingAxes(int a, int b, int c, float[] src, int so, float[] dst, int dOff) {
        int grain = Math.max(1, ElementwiseOps.GRAIN / Math.max(1, c));
        Parallel.forRange(a * b, grain, (from, to) -> {
            for (int t = from; t < to; t++) {
                int j = t / a;
                int i = t - j * a;
                System.arraycopy(src, so + (i * b + j) * c, dst, dOff + t * c, c);
            }
        });
    }
}
