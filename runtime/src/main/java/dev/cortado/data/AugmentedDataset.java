package dev.cortado.data;

import dev.cortado.tensor.Shape;

/**
 * Images augmented in training epochs; see {@link Dataset#augmented}. The dataset itself serves the images
 * unchanged; {@link #forEpoch} with a shuffled order gives the view of that epoch, keyed by the order's seed and
 * epoch.
 */
final class AugmentedDataset extends ForwardingDataset {
    private final Augmentation augmentation;
    private final int[] dims;
    private final int sampleSize;
    /** True for the view of a training epoch, which augments. */
    private final boolean active;
    private final long seed;
    private final long epoch;
    private final ThreadLocal<float[]> scratch;

    AugmentedDataset(Dataset source, Augmentation augmentation) {
        this(source, augmentation, false, 0, 0);
        Shape shape = source.sampleShape();
        if (shape.rank() != 3) {
            throw new IllegalArgumentException("crops and flips augment images of shape (channels, height, width), "
                    + "not samples of " + shape);
        }
        Preprocessing done = source.preprocessing();
        if (done.augmentation() != null || done.normalization() != null) {
            throw new IllegalArgumentException("augment samples before normalizing them, and once: these are "
                    + done.describe());
        }
    }

    private AugmentedDataset(Dataset source, Augmentation augmentation, boolean active, long seed, long epoch) {
        super(source);
        this.augmentation = augmentation;
        this.dims = source.sampleShape().dims();
        this.sampleSize = source.sampleSize();
        this.active = active;
        this.seed = seed;
        this.epoch = epoch;
        this.scratch = ThreadLocal.withInitial(() -> new float[sampleSize]);
    }

    @Override
    Dataset wrap(Dataset newSource) {
        return new AugmentedDataset(newSource, augmentation, active, seed, epoch);
    }

    @Override
    public Dataset forEpoch(SampleOrder order) {
        Dataset view = source.forEpoch(order);
        if (order instanceof SampleOrder.Shuffled shuffled) {
            return new AugmentedDataset(view, augmentation, true, shuffled.seed(), shuffled.epoch());
        }
        return view == source && !active ? this : new AugmentedDataset(view, augmentation, false, 0, 0);
    }

    @Override
    public void copyInputs(int index, float[] dst, int dstOffset) {
        if (!active) {
            source.copyInputs(index, dst, dstOffset);
            return;
        }
        float[] image = scratch.get();
        source.copyInputs(index, image, 0);
        augmentation.apply(image, 0, dst, dstOffset, dims, seed, epoch, index);
    }

    @Override
    public Preprocessing preprocessing() {
        return source.preprocessing().withAugmentation(augmentation);
    }
}
