package dev.cortado.data;

import dev.cortado.tensor.Shape;
import java.util.Arrays;

/**
 * A labelled dataset held in memory: {@code count} inputs of {@code sampleShape} each, stored back to back, and
 * one class index per sample. The arrays are shared, not copied: do not change them once the dataset is made.
 *
 * @param inputs {@code count * sampleShape.size()} values, sample after sample (for images: scaled to [0, 1])
 * @param labels {@code count} class indices in [0, classes), as floats (the form the cross-entropy op takes)
 * @param count number of samples
 * @param sampleShape shape of one input, e.g. (1, 28, 28)
 * @param classes number of classes
 */
public record Dataset(float[] inputs, float[] labels, int count, Shape sampleShape, int classes)
        implements SampleSource {

    public Dataset {
        long expectedInputs = (long) count * sampleShape.size();
        if (count < 0 || inputs.length != expectedInputs || labels.length != count) {
            throw new IllegalArgumentException(count + " samples of shape " + sampleShape + " need "
                    + expectedInputs + " inputs and " + count + " labels, got " + inputs.length + " and "
                    + labels.length);
        }
        if (classes < 1) {
            throw new IllegalArgumentException("a dataset needs at least one class, got " + classes);
        }
        for (int i = 0; i < count; i++) {
            float label = labels[i];
            if (!(label >= 0 && label < classes && label == (int) label)) {
                throw new IllegalArgumentException("label " + label + " of sample " + i + " is not a class index in 0.."
                        + (classes - 1));
            }
        }
    }

    /** The first {@code n} samples, copied; for quick runs and tests. */
    public Dataset first(int n) {
        if (n < 0 || n > count) {
            throw new IllegalArgumentException("cannot take the first " + n + " of " + count + " samples");
        }
        return new Dataset(Arrays.copyOf(inputs, n * sampleSize()), Arrays.copyOf(labels, n), n, sampleShape,
                classes);
    }

    /** At most {@code limit} samples: the first ones, or all of them (this) when the limit is 0 or no smaller. */
    public Dataset limit(int limit) {
        return limit > 0 && limit < count ? first(limit) : this;
    }

    @Override
    public void copyInputs(int index, float[] dst, int dstOffset) {
        int size = sampleSize();
        System.arraycopy(inputs, index * size, dst, dstOffset, size);
    }

    @Override
    public float label(int index) {
        return labels[index];
    }

    @Override
    public String toString() {
        return "Dataset[count=" + count + ", sampleShape=" + sampleShape + ", classes=" + classes + "]";
    }
}
