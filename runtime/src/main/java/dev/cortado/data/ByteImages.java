package dev.cortado.data;

import dev.cortado.tensor.Shape;

/**
 * A labelled image dataset held as its files store it, as MNIST's IDX and CIFAR-10's binary formats both do: a byte
 * per pixel, served scaled to [0, 1] as {@code k / 255f} when a sample is copied into a batch (a quarter of the
 * memory of floats), and a byte per class label.
 */
abstract class ByteImages implements Dataset {
    private static final float[] PIXEL_VALUES = pixelValues();

    /** The samples' pixels, sample after sample. */
    final byte[] pixels;
    /** The samples' class indices. */
    final byte[] labels;
    private final Shape sampleShape;
    private final int sampleSize;
    private final Targets targets;

    ByteImages(byte[] pixels, byte[] labels, Shape sampleShape, Targets targets) {
        this.pixels = pixels;
        this.labels = labels;
        this.sampleShape = sampleShape;
        this.sampleSize = Math.toIntExact(sampleShape.size());
        this.targets = targets;
    }

    /** The input value of pixel byte {@code k} (0..255): {@code k / 255f}. */
    static float pixelValue(int k) {
        return PIXEL_VALUES[k];
    }

    @Override
    public int count() {
        return labels.length;
    }

    @Override
    public Shape sampleShape() {
        return sampleShape;
    }

    @Override
    public Targets targets() {
        return targets;
    }

    /** A byte a pixel and a byte a label. */
    @Override
    public long heldBytes() {
        return (long) pixels.length + labels.length;
    }

    @Override
    public void copyInputs(int index, float[] dst, int dstOffset) {
        int start = index * sampleSize;
        for (int i = 0; i < sampleSize; i++) {
            dst[dstOffset + i] = PIXEL_VALUES[pixels[start + i] & 0xFF];
        }
    }

    @Override
    public void copyTarget(int index, float[] dst, int dstOffset) {
        dst[dstOffset] = labels[index];
    }

    /** {@code x / 255f} for every byte value: the same rounding as PyTorch's {@code x.float().div(255)}. */
    private static float[] pixelValues() {
        float[] values = new float[256];
        for (int i = 0; i < values.length; i++) {
            values[i] = i / 255f;
        }
        return values;
    }
}
