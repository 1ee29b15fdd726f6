package dev.cortado.data;

/**
 * Resizes images of bytes, channel after channel, with a separable triangle (bilinear) filter: output pixel
 * {@code i} of a row of {@code out} pixels taken from {@code in} has its centre at {@code (i + 0.5) * in / out}
 * and weighs source pixel {@code j} (centre {@code j + 0.5}) by {@code max(0, 1 - |d| / s)}, where {@code d} is
 * the distance of the centres and {@code s = max(1, in / out)}, the weights normalized to sum to 1. Rows first,
 * then columns, in float; results are rounded to the nearest byte.
 */
final class Resize {
    private Resize() {
    }

    static byte[] bilinear(byte[] src, int channels, int inHeight, int inWidth, int outHeight, int outWidth) {
        Filter across = new Filter(inWidth, outWidth);
        Filter down = new Filter(inHeight, outHeight);
        float[] rows = new float[inHeight * outWidth];
        byte[] out = new byte[channels * outHeight * outWidth];
        for (int c = 0; c < channels; c++) {
            int srcPlane = c * inHeight * inWidth;
            for (int y = 0; y < inHeight; y++) {
                for (int x = 0; x < outWidth; x++) {
                    float sum = 0;
                    for (int k = 0; k < across.count[x]; k++) {
                        sum += across.weight[x][k] * (src[srcPlane + y * inWidth + across.first[x] + k] & 0xFF);
                    }
                    rows[y * outWidth + x] = sum;
                }
            }
            int outPlane = c * outHeight * outWidth;
            for (int y = 0; y < outHeight; y++) {
                for (int x = 0; x < outWidth; x++) {
                    float sum = 0;
                    for (int k = 0; k < down.count[y]; k++) {
                        sum += down.weight[y][k] * rows[(down.first[y] + k) * outWidth + x];
                    }
                    out[outPlane + y * outWidth + x] = (byte) Math.min(255, Math.max(0, Math.round(sum)));
                }
            }
        }
        return out;
    }

    /** The source pixels and their weights for each output pixel along one axis. */
    private static final class Filter {
        final int[] first;
        final int[] count;
        final float[][] weight;

        Filter(int in, int out) {
            first = new int[out];
            count = new int[out];
            weight = new float[out][];
            double scale = (double) in / out;
            double support = Math.max(1, scale);
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(centre - support));
                int hi = Math.min(in, (int) Math.ceil(centre + support));
                double[] w = new double[hi - lo];
                double total = 0;
                for (int j = lo; j < hi; j++) {
                    w[j - lo] = Math.max(0, 1 - Math.abs(j + 0.5 - centre) / support);
                    total += w[j - lo];
                }
                first[i] = lo;
                count[i] = hi - lo;
                weight[i] = new float[hi - lo];
                for (int k = 0; k < w.length; k++) {
                    weight[i][k] = (float) (w[k] / total);
                }
            }
        }
    }
}
