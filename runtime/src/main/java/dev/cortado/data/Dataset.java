package dev.cortado.data;

import dev.cortado.tensor.Shape;

/**
 * Numbered samples, each an input of a fixed shape and a target ({@link Targets}: a class index or regression
 * values), that a {@link BatchLoader} copies into batches in a seeded order. Indexable rather than streamed, so
 * that every epoch can visit the samples in its own shuffled order and a resumed run revisits them exactly.
 *
 * <p>{@link ArrayDataset} holds samples in memory. Implement this interface for data that is not: read sample
 * {@code index} from wherever it lives (files, a database) when it is asked for. Implementations must allow
 * calls from a thread other than the one that made them (the loader's producer thread), and must not change
 * while a loader reads them.
 */
public interface Dataset {

    /** Number of samples, indexed {@code 0..count()-1}. */
    int count();

    /** Shape of one sample's input, e.g. (1, 28, 28) for a grey image. */
    Shape sampleShape();

    /** What the samples are labelled with. */
    Targets targets();

    /** Copies the {@link #sampleSize()} input values of sample {@code index} into {@code dst[dstOffset..]}. */
    void copyInputs(int index, float[] dst, int dstOffset);

    /**
     * Copies the target of sample {@code index} into {@code dst[dstOffset..]}: one float holding the class index
     * for a classification, {@code targets().size()} values for a regression.
     */
    void copyTarget(int index, float[] dst, int dstOffset);

    /** Number of input values per sample. */
    default int sampleSize() {
        return Math.toIntExact(sampleShape().size());
    }

    /** The number of classes, or 0 for a regression. */
    default int classes() {
        return targets().classes();
    }

    /**
     * At most {@code limit} samples: the first ones, or all of them (this) when the limit is 0 or no smaller.
     *
     * @throws IllegalArgumentException for a negative limit
     */
    default Dataset limit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("a dataset limit must not be negative, got " + limit);
        }
        return limit > 0 && limit < count() ? new FirstSamples(this, limit) : this;
    }
}
