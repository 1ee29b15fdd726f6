package dev.cortado.backend;

/**
 * The shape of a batch normalization's input, viewed as {@code (batch, channels, spatial)}: statistics are per
 * channel, over the batch and the spatial positions ({@code H*W} for images, {@code L} for sequences, 1 for
 * features). Tensors of the input's size are NCHW (or NCL, or NC); per-channel tensors hold {@code channels}
 * floats.
 */
public record BatchNormSpec(int batch, int channels, int spatial) {

    public BatchNormSpec {
        if (batch < 1 || channels < 1 || spatial < 1) {
            throw new IllegalArgumentException("bad batch normalization: batch " + batch + ", channels " + channels
                    + ", spatial size " + spatial + " (each must be at least 1)");
        }
    }

    /** Floats of the input (and of the output and the gradients). */
    public long size() {
        return (long) batch * channels * spatial;
    }

    /** Values each channel's statistics are taken over: {@code batch * spatial}. */
    public long perChannel() {
        return (long) batch * spatial;
    }
}
