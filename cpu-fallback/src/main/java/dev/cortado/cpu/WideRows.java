package dev.cortado.cpu;

import dev.cortado.backend.ConvGeometry;
import java.util.Arrays;

/**
 * Column matrices for stride-1 convolutions whose output rows are narrower than their padded input rows: an
 * unpadded ("valid") convolution, such as LeNet-5's second, and the convolutions that give such layers' input
 * gradients. The product is computed for every column of the padded rows, not only the output's, so that each
 * row of the column matrix is one run of the (padded) image instead of one short copy per output row; the extra
 * columns, {@code (W + 2p) / outW - 1} of the work, are dropped when the product is copied out.
 *
 * <p>Row {@code (c, i, j)} of an image is its padded plane c from offset {@code i*d*(W + 2p) + j*d}, for
 * {@code outH} padded rows. Its last run reaches up to {@code j*d} floats past the plane; those land in dropped
 * columns only, and are zeroed.
 */
final class WideRows {
    /** Most columns computed per column kept: beyond this, the short copies cost less than the extra products. */
    private static final double MAX_WASTE = 1.5;

    private final ConvGeometry g;
    private final int images;
    private final int rowFloats;
    private final int paddedPlane;

    /** The column matrix of {@code images} images of g (whose batch is ignored), which must be {@link #served}. */
    WideRows(ConvGeometry g, int images) {
        this.g = g;
        this.images = images;
        this.rowFloats = g.width() + 2 * g.padding();
        this.paddedPlane = (g.height() + 2 * g.padding()) * rowFloats;
    }

    /**
     * Whether g is computed on wide rows: stride 1, output rows narrower than the padded input rows (where they
     * are as wide, the plain unfold already copies whole planes), and no more than {@link #MAX_WASTE} as many
     * columns computed as kept.
     */
    static boolean served(ConvGeometry g) {
        int padded = g.width() + 2 * g.padding();
        return g.stride() == 1 && g.outWidth() != g.width() && padded <= MAX_WASTE * g.outWidth();
    }

    /** Columns computed per image. */
    static int imageColumns(ConvGeometry g) {
        return g.outHeight() * (g.width() + 2 * g.padding());
    }

    /** Floats per image of the column matrix and the padded copy of the image. */
    static long imageFloats(ConvGeometry g) {
        long padded = g.padding() > 0 ? (long) g.channels() * (g.height() + 2 * g.padding())
                * (g.width() + 2 * g.padding()) : 0;
        return (long) g.columnRows() * imageColumns(g) + padded;
    }

    /** Columns of the product: every padded column of every output row of every image. */
    int columns() {
        return images * imageColumns(g);
    }

    /** Floats of the padded copy of the images (none without padding). */
    int paddedFloats() {
        return g.padding() > 0 ? images * g.channels() * paddedPlane : 0;
    }

    /**
     * Unfolds the images from {@code x[xo]} (NCHW) into {@code columns}, rows {@code (c, i, j)} by images, going
     * through {@code padded} ({@link #paddedFloats} floats) when the convolution pads.
     */
    void unfold(float[] x, int xo, float[] padded, float[] columns) {
        float[] source = x;
        int sourceOffset = xo;
        if (g.padding() > 0) {
            pad(x, xo, padded);
            source = padded;
            sourceOffset = 0;
        }
        int kh = g.kernelH();
        int kw = g.kernelW();
        int d = g.dilation();
        int run = imageColumns(g);
        for (int c = 0; c < g.channels(); c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int row = (c * kh + i) * kw + j;
                    for (int n = 0; n < images; n++) {
                        int plane = sourceOffset + (n * g.channels() + c) * paddedPlane;
                        int start = plane + i * d * rowFloats + j * d;
                        int copied = Math.min(run, plane + paddedPlane - start);
                        int dst = (row * images + n) * run;
                        System.arraycopy(source, start, columns, dst, copied);
                        Arrays.fill(columns, dst + copied, dst + run, 0f);
                    }
                }
            }
        }
    }

    /** Copies the images into zero-bordered planes {@code (H + 2p) x (W + 2p)}. */
    private void pad(float[] x, int xo, float[] padded) {
        int p = g.padding();
        int h = g.height();
        int w = g.width();
        for (int plane = 0; plane < images * g.channels(); plane++) {
            int base = plane * paddedPlane;
            Arrays.fill(padded, base, base + p * rowFloats + p, 0f);
            for (int y = 0; y < h; y++) {
                int row = base + (p + y) * rowFloats + p;
                System.arraycopy(x, xo + (plane * h + y) * w, padded, row, w);
                // this row's right border and the next row's left one
                Arrays.fill(padded, row + w, row + w + 2 * p, 0f);
            }
            Arrays.fill(padded, base + (p + h) * rowFloats + p, base + paddedPlane, 0f);
        }
    }

    /** Copies the kept columns of a product {@code (outChannels, columns())} into NCHW output from {@code y[yo]}. */
    void extract(float[] product, int outChannels, float[] y, int yo) {
        int outH = g.outHeight();
        int outW = g.outWidth();
        int run = imageColumns(g);
        int cols = columns();
        for (int n = 0; n < images; n++) {
            for (int o = 0; o < outChannels; o++) {
                int source = o * cols + n * run;
                int target = yo + (n * outChannels + o) * outH * outW;
                for (int oy = 0; oy < outH; oy++) {
                    System.arraycopy(product, source + oy * rowFloats, y, target + oy * outW, outW);
                }
            }
        }
    }
}
