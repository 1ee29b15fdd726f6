package dev.cortado.data;

import dev.cortado.tensor.Shape;
import java.util.Arrays;

/**
 * A dataset held in memory: {@code count} inputs of {@code sampleShape} each, stored back to back, and their
 * targets, back to back too. The arrays are shared, not copied: do not change them once the dataset is made.
 *
 * <pre>{@code
 * Dataset digits = ArrayDataset.classification(pixels, labels, Shape.of(1, 28, 28), 10);
 * Dataset houses = ArrayDataset.regression(features, prices, Shape.of(8), Shape.of(1));
 * }</pre>
 *
 * @param inputs {@code count * sampleShape.size()} values, sample after sample (for images: scaled to [0, 1])
 * @param targetValues {@code count * targets.size()} values: class indices as floats for a classification
 * @param count number of samples
 * @param sampleShape shape of one input, e.g. (1, 28, 28)
 * @param targets what the samples are labelled with
 */
public record ArrayDataset(float[] inputs, float[] targetValues, int count, Shape sampleShape, Targets targets)
        implements Dataset {

    /**
     * Checks the sizes, and for a classification that every label is a class index.
     *
     * @throws IllegalArgumentException naming the mismatch or the first bad label and its sample
     */
    public ArrayDataset {
        long expectedInputs = (long) count * sampleShape.size();
        long expectedTargets = (long) count * targets.size();
        if (count < 0 || inputs.length != expectedInputs || targetValues.length != expectedTargets) {
            throw new IllegalArgumentException(count + " samples of shape " + sampleShape + " with " + targets
                    + " need " + expectedInputs + " inputs and " + expectedTargets + " target values, got "
                    + inputs.length + " and " + targetValues.length);
        }
        if (targets.isClassification()) {
            for (int i = 0; i < count; i++) {
                float label = targetValues[i];
                if (!(label >= 0 && label < targets.classes() && label == (int) label)) {
                    throw new IllegalArgumentException("label " + label + " of sample " + i
                            + " is not a class index in 0.." + (targets.classes() - 1));
                }
            }
        }
    }

    /** Labelled samples: {@code labels[i]} is the class index of sample {@code i}. */
    public static ArrayDataset classification(float[] inputs, float[] labels, Shape sampleShape, int classes) {
        return new ArrayDataset(inputs, labels, labels.length, sampleShape, Targets.classes(classes));
    }

    /** Samples with regression targets of {@code targetShape} each, stored back to back. */
    public static ArrayDataset regression(float[] inputs, float[] targets, Shape sampleShape, Shape targetShape) {
        int perSample = Math.toIntExact(targetShape.size());
        if (perSample < 1 || targets.length % perSample != 0) {
            throw new IllegalArgumentException(targets.length + " target values are not a whole number of targets "
                    + "of shape " + targetShape);
        }
        return new ArrayDataset(inputs, targets, targets.length / perSample, sampleShape,
                new Targets(0, targetShape));
    }

    /** The first {@code n} samples, copied; for quick runs and tests. */
    public ArrayDataset first(int n) {
        if (n < 0 || n > count) {
            throw new IllegalArgumentException("cannot take the first " + n + " of " + count + " samples");
        }
        return new ArrayDataset(Arrays.copyOf(inputs, n * sampleSize()), Arrays.copyOf(targetValues,
                n * targets.size()), n, sampleShape, targets);
    }

    @Override
    public void copyInputs(int index, float[] dst, int dstOffset) {
        int size = sampleSize();
        System.arraycopy(inputs, index * size, dst, dstOffset, size);
    }

    @Override
    public void copyTarget(int index, float[] dst, int dstOffset) {
        int size = targets.size();
        System.arraycopy(targetValues, index * size, dst, dstOffset, size);
    }

    @Override
    public String toString() {
        return "ArrayDataset[count=" + count + ", sampleShape=" + sampleShape + ", " + targets + "]";
    }
}
