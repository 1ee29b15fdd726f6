package dev.cortado.data;

import dev.cortado.tensor.Shape;

/**
 * Numbered samples, each an input of a fixed shape and a class label, that a {@link BatchLoader} copies into
 * batches. Implementations must allow calls from a thread other than the one that made them (the loader's
 * producer thread) and must not change while a loader reads them.
 */
public interface SampleSource {

    /** Number of samples, indexed {@code 0..count()-1}. */
    int count();

    /** Shape of one sample's input, e.g. (1, 28, 28) for a grey image. */
    Shape sampleShape();

    /** Copies the {@link #sampleSize()} input values of sample {@code index} into {@code dst[dstOffset..]}. */
    void copyInputs(int index, float[] dst, int dstOffset);

    /** The class index of sample {@code index}, as a float (the form the cross-entropy op takes). */
    float label(int index);

    /** Number of input values per sample. */
    default int sampleSize() {
        return Math.toIntExact(sampleShape().size());
    }
}
