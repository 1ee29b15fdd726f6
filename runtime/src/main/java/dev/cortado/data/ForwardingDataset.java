package dev.cortado.data;

import dev.cortado.tensor.Shape;

/**
 * A dataset that serves another one's samples, changing some of what it serves: the base of the wrappers that
 * {@link Dataset} makes ({@link Dataset#limit}, {@link Dataset#normalized}, {@link Dataset#augmented},
 * {@link Dataset#readInParallel}). Everything not overridden is the source's, and {@link #forEpoch} wraps the
 * source's view of the epoch the same way.
 */
abstract class ForwardingDataset implements Dataset {
    /** The wrapped dataset. */
    final Dataset source;

    ForwardingDataset(Dataset source) {
        this.source = source;
    }

    /** This wrapper around another source, e.g. the source's view of one epoch. */
    abstract Dataset wrap(Dataset newSource);

    @Override
    public int count() {
        return source.count();
    }

    @Override
    public Shape sampleShape() {
        return source.sampleShape();
    }

    @Override
    public Targets targets() {
        return source.targets();
    }

    @Override
    public void copyInputs(int index, float[] dst, int dstOffset) {
        source.copyInputs(index, dst, dstOffset);
    }

    @Override
    public void copyTarget(int index, float[] dst, int dstOffset) {
        source.copyTarget(index, dst, dstOffset);
    }

    /** The source's: a wrapper keeps no samples of its own. */
    @Override
    public long heldBytes() {
        return source.heldBytes();
    }

    @Override
    public Preprocessing preprocessing() {
        return source.preprocessing();
    }

    @Override
    public int readThreads() {
        return source.readThreads();
    }

    @Override
    public Dataset forEpoch(SampleOrder order) {
        Dataset view = source.forEpoch(order);
        return view == source ? this : wrap(view);
    }
}
