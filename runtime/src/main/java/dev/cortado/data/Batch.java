package dev.cortado.data;

import dev.cortado.tensor.Shape;

/**
 * One batch served by a {@link BatchLoader}: the inputs and targets of {@link #count()} samples, in host arrays
 * that belong to the loader's ring and are refilled once the batch is handed back.
 *
 * <p>A batch is valid from the {@link BatchLoader#next()} call that returned it until the following call to
 * {@code next()} or {@link BatchLoader#close()}, which hand it back; after that its accessors throw
 * {@link IllegalStateException}. Arrays taken from it before then must not be used after it either: copy (or
 * upload) what you need first.
 */
public final class Batch {
    final float[] inputs;
    final float[] targets;
    private final Shape sampleShape;
    private final Shape targetShape;
    private final BatchLoader owner;
    private int index;
    private int count;

    Batch(BatchLoader owner, Shape sampleShape, Shape targetShape, int capacity) {
        this.owner = owner;
        this.sampleShape = sampleShape;
        this.targetShape = targetShape;
        this.inputs = new float[Math.multiplyExact(capacity, Math.toIntExact(sampleShape.size()))];
        this.targets = new float[Math.multiplyExact(capacity, Math.toIntExact(targetShape.size()))];
    }

    /** Called by the producer once the arrays hold the samples of batch {@code index}. */
    void filled(int index, int count) {
        this.index = index;
        this.count = count;
    }

    /**
     * The inputs, sample after sample, sized for a full batch (the batch size, or the number of samples if that
     * is smaller): only the first {@code count() * sampleSize} values belong to this batch (the rest of a partial
     * last batch is left over from earlier batches).
     */
    public float[] inputs() {
        checkHeld();
        return inputs;
    }

    /**
     * The targets, sample after sample (class indices as floats for a classification), sized for a full batch:
     * only the first {@code count()} targets belong to this batch.
     */
    public float[] targets() {
        checkHeld();
        return targets;
    }

    /** Number of samples in this batch: the batch size, or fewer in the last batch of an epoch. */
    public int count() {
        checkHeld();
        return count;
    }

    /** Position of this batch in its epoch, from 0. */
    public int index() {
        checkHeld();
        return index;
    }

    /** Shape of the inputs of this batch: {@code count()} before the sample shape, e.g. (count, 1, 28, 28). */
    public Shape inputShape() {
        checkHeld();
        return sampleShape.prepend(count);
    }

    /** Shape of the targets of this batch: {@code count()} before a target's shape, e.g. (count) for labels. */
    public Shape targetShape() {
        checkHeld();
        return targetShape.prepend(count);
    }

    private void checkHeld() {
        if (!owner.holds(this)) {
            throw new IllegalStateException("this batch was handed back to its loader by a later next() or by close();"
                    + " copy what you need from a batch before either");
        }
    }
}
