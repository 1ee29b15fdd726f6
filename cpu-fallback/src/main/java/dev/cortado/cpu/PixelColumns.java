package dev.cortado.cpu;

import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
import java.util.Arrays;

/**
 * The column matrix transposed: a row per output pixel, holding the pixel's receptive field in
 * {@code (i, j, c)} order (kernel row, kernel column, channel). The weight gradient is then
 * {@code dy (C_out x pixels) * rows (pixels x K)}, a product whose B is read where it lies and that sums along
 * k without horizontal adds, where the column matrix's {@code dy * col^T} takes dot products.
 *
 * <p>Rows are filled from a channels-last copy of the image, in which kernel row i of a pixel's field is one run
 * of {@code kW * C} floats at any stride (of C floats each kernel column apart when dilated). That makes strided
 * convolutions as cheap to unfold as unit-stride ones: the column matrix's strided unfold gathers float by float.
 */
final class PixelColumns {
    /**
     * Fewest input channels for which rows are built: with fewer, a kernel row's run is too short to copy well
     * (the stem's single channel gives runs of 3 floats; LeNet-5's six, runs of 30).
     */
    private static final int MIN_CHANNELS = 4;
    private static final int MIN_OUT_CHANNELS_AT_UNIT_STRIDE = 32;

    private PixelColumns() {
    }

    /**
     * Whether the weight gradient of this convolution goes through pixel rows: ungrouped, with enough input
     * channels and a kernel larger than 1x1, and where the column matrix would unfold slowly or multiply poorly:
     * strided (it gathers float by float), with output rows narrower than the input's (it copies a short run per
     * output row, as for LeNet-5's second convolution), or with 32 output channels or more. A 1x1 kernel's column
     * matrix is the image itself, read at the stride, and its pixel rows would be too short for the product's
     * tile. At stride 1 with 16 output channels and "same" padding (ResNet's first stage) the column matrix's dot
     * products were faster: the product has too few rows to make up for reading B where it lies, and the column
     * matrix unfolds a whole plane at a time.
     */
    static boolean serves(ConvSpec spec) {
        ConvGeometry g = spec.geometry();
        boolean slowColumnMatrix = g.stride() > 1 || g.outWidth() != g.width();
        return spec.groups() == 1 && g.channels() >= MIN_CHANNELS && g.kernelH() * g.kernelW() > 1
                && (slowColumnMatrix || spec.outChannels() >= MIN_OUT_CHANNELS_AT_UNIT_STRIDE);
    }

    /** Floats of one image's rows: {@code outH*outW x K}. */
    static long imageFloats(ConvGeometry g) {
        return (long) g.outHeight() * g.outWidth() * g.columnRows();
    }

    /**
     * Writes the rows of {@code images} consecutive images from {@code x[xo]} (NCHW) into {@code rows}, image
     * after image, using {@code channelsLast} ({@code H*W*C} floats at least) for each image's channels-last copy.
     */
    static void unfold(ConvGeometry g, float[] x, int xo, int images, float[] channelsLast, float[] rows) {
        int imageSize = g.channels() * g.height() * g.width();
        long perImage = imageFloats(g);
        for (int n = 0; n < images; n++) {
            toChannelsLast(g, x, xo + n * imageSize, channelsLast);
            unfoldImage(g, channelsLast, rows, (int) (n * perImage));
        }
    }

    /** {@code out[(y*W + x)*C + c] = x[c][y][x]} for one image. */
    private static void toChannelsLast(ConvGeometry g, float[] x, int xo, float[] out) {
        int channels = g.channels();
        int plane = g.height() * g.width();
        for (int c = 0; c < channels; c++) {
            int source = xo + c * plane;
            for (int p = 0; p < plane; p++) {
                out[p * channels + c] = x[source + p];
            }
        }
    }

    /** One image's rows, a kernel row of every pixel of an output row at a time. */
    private static void unfoldImage(ConvGeometry g, float[] image, float[] rows, int ro) {
        int channels = g.channels();
        int kw = g.kernelW();
        int d = g.dilation();
        int k = g.columnRows();
        int outW = g.outWidth();
        int fieldRow = kw * channels;
        FloatLoops loops = FloatLoops.IN_USE;
        for (int oy = 0; oy < g.outHeight(); oy++) {
            int outputRow = ro + oy * outW * k;
            for (int i = 0; i < g.kernelH(); i++) {
                int iy = oy * g.stride() - g.padding() + i * d;
                boolean inside = iy >= 0 && iy < g.height();
                for (int ox = 0; ox < outW; ox++) {
                    int dst = outputRow + ox * k + i * fieldRow;
                    int x0 = ox * g.stride() - g.padding();
                    int lo = inside ? firstColumnInside(x0, kw, d) : kw;
                    int hi = inside ? endOfColumnsInside(x0, g.width(), kw, d, lo) : kw;
                    if (lo > 0) {
                        Arrays.fill(rows, dst, dst + lo * channels, 0f);
                    }
                    int src = (iy * g.width() + ox * g.stride() - g.padding()) * channels;
                    if (d == 1) {
                        loops.copy(image, src + lo * channels, rows, dst + lo * channels, (hi - lo) * channels);
                    } else {
                        for (int j = lo; j < hi; j++) {
                            loops.copy(image, src + j * d * channels, rows, dst + j * channels, channels);
                        }
                    }
                    if (hi < kw) {
                        Arrays.fill(rows, dst + Math.max(lo, hi) * channels, dst + fieldRow, 0f);
                    }
                }
            }
        }
    }

    /** The first kernel column j whose input column {@code x0 + j*d} is not left of the image, at most kw. */
    private static int firstColumnInside(int x0, int kw, int d) {
        // without dilation (nearly always) no division: it would cost more than the copy it sets up
        int first = d == 1 ? -x0 : -Math.floorDiv(x0, d);
        return Math.min(kw, Math.max(0, first));
    }

    /** One past the last kernel column j whose input column {@code x0 + j*d} is left of width, at least lo. */
    private static int endOfColumnsInside(int x0, int width, int kw, int d, int lo) {
        int end = d == 1 ? width - x0 : -Math.floorDiv(x0 - width, d);
        return Math.max(lo, Math.min(kw, end));
    }

    /**
     * {@code dw[o][c][i][j] += sum[o][(i*kW + j)*C + c]}: a gradient summed over pixel rows, in the weight's
     * order.
     */
    static void addToWeightGradient(ConvGeometry g, int outChannels, float[] sum, float[] dw, int dwo) {
        int channels = g.channels();
        int kernel = g.kernelH() * g.kernelW();
        for (int o = 0; o < outChannels; o++) {
            for (int t = 0; t < kernel; t++) {
                int source = (o * kernel + t) * channels;
                for (int c = 0; c < channels; c++) {
                    dw[dwo + (o * channels + c) * kernel + t] += sum[source + c];
                }
            }
        }
    }
}
