package dev.cortado.data;

import dev.cortado.tensor.Shape;

/**
 * Numbered samples, each an input of a fixed shape and a target ({@link Targets}: a class index or regression
 * values), that a {@link BatchLoader} copies into batches in a seeded order. Indexable rather than streamed, so
 * that every epoch can visit the samples in its own shuffled order and a resumed run revisits them exactly.
 *
 * <p>{@link ArrayDataset} holds samples in memory; {@link MnistDataset}, {@link Cifar10Dataset},
 * {@link ImageFolderDataset} and {@link CsvDataset} read files ({@link DataFormat} tells which a directory holds).
 * Implement this interface for data that lives elsewhere: read sample {@code index} from wherever it lives when
 * it is asked for. Implementations must allow calls from threads other than the one that made them (the loader's
 * threads, several at once for {@link #readInParallel}), and must not change while a loader reads them.
 *
 * <p>Wrappers change what is served without copying: {@link #limit}, {@link #augmented} (random crops and flips
 * that differ per epoch), {@link #normalized} (per-channel mean and standard deviation), {@link #readInParallel}.
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

    /**
     * About how many bytes of the Java heap this dataset's samples take while it is open: the checks before a run
     * ({@code Preflight}) leave them out of the memory the model may use on the CPU. By default four a value of
     * every input and target, as for samples held as floats; a dataset that holds bytes, or reads its samples from
     * files or elsewhere when asked, says what it keeps instead (0 when it keeps none).
     */
    default long heldBytes() {
        return (long) Float.BYTES * count() * (sampleSize() + targets().size());
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

    /**
     * What was done to the stored samples on their way to the inputs this dataset serves, which a model trained on
     * it expects of every input it is given (and a checkpoint records): {@link Preprocessing#NONE} for samples
     * served as stored.
     */
    default Preprocessing preprocessing() {
        return Preprocessing.NONE;
    }

    /**
     * How many threads a {@link BatchLoader} fills each batch of this dataset with: 1 (its own background thread)
     * unless set with {@link #readInParallel}.
     */
    default int readThreads() {
        return 1;
    }

    /**
     * The samples of one epoch served in {@code order}: this dataset, unless its samples change from epoch to
     * epoch, as {@link #augmented} ones do (keyed by a shuffled order's seed and epoch; a sequential order, as
     * evaluation uses, serves them unchanged). A {@link BatchLoader} reads the view of its order.
     */
    default Dataset forEpoch(SampleOrder order) {
        return this;
    }

    /**
     * These samples, each channel (the first dimension of a sample) shifted by its mean and divided by its standard
     * deviation, as the last step before a model sees them.
     *
     * @throws IllegalArgumentException when the normalization has another number of channels, or these samples are
     *     normalized already
     */
    default Dataset normalized(Normalization normalization) {
        return new NormalizedDataset(this, normalization);
    }

    /**
     * These samples with random crops and flips in training epochs: see {@link Augmentation}. Augment before
     * {@link #normalized normalizing}, so that the padding is black as in the usual recipes.
     *
     * @throws IllegalArgumentException when the samples are not images of shape (channels, height, width), or are
     *     normalized or augmented already
     */
    default Dataset augmented(Augmentation augmentation) {
        return new AugmentedDataset(this, augmentation);
    }

    /**
     * These samples, read by {@code threads} threads at once when a {@link BatchLoader} fills a batch: worth it when
     * a sample is decoded or augmented as it is read. Every sample still lands in its own place, so the batches are
     * the same with any number of threads.
     *
     * @throws IllegalArgumentException when {@code threads} is below 1
     */
    default Dataset readInParallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a dataset is read by at least 1 thread, got " + threads);
        }
        return new ParallelReads(this, threads);
    }
}
