package dev.cortado.backend;

/**
 * A 2-D max or average pooling over an NCHW batch, square window. Output size is
 * {@code (H + 2*padding - kernel) / stride + 1} (PyTorch's floor mode). Max pooling ignores padded positions and
 * sends the gradient to the first maximum of each window in row-major order; average pooling counts padded
 * positions as zeros and divides by {@code kernel*kernel} (PyTorch's {@code count_include_pad=True}).
 */
public record PoolSpec(Kind kind, int batch, int channels, int height, int width, int kernel, int stride,
                       int padding) {

    /** Which pooling. */
    public enum Kind { MAX, AVG }

    public PoolSpec {
        if (batch < 1 || channels < 1 || kernel < 1 || stride < 1 || padding < 0 || 2 * padding > kernel) {
            throw new IllegalArgumentException("bad pooling " + kind + " kernel=" + kernel + " stride=" + stride
                    + " padding=" + padding + " (padding must be at most half the kernel)");
        }
        if (height + 2 * padding < kernel || width + 2 * padding < kernel) {
            throw new IllegalArgumentException("pooling window " + kernel + "x" + kernel + " does not fit the "
                    + height + "x" + width + " input");
        }
    }

    public int outHeight() {
        return (height + 2 * padding - kernel) / stride + 1;
    }

    public int outWidth() {
        return (width + 2 * padding - kernel) / stride + 1;
    }

    public long inputSize() {
        return (long) batch * channels * height * width;
    }

    public long outputSize() {
        return (long) batch * channels * outHeight() * outWidth();
    }
}
