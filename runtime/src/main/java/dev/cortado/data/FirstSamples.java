package dev.cortado.data;

import java.util.Objects;

/** The first {@code count} samples of a dataset, without copying them. */
final class FirstSamples extends ForwardingDataset {
    private final int count;

    FirstSamples(Dataset whole, int count) {
        super(whole);
        Objects.checkFromToIndex(0, count, whole.count());
        this.count = count;
    }

    @Override
    Dataset wrap(Dataset newSource) {
        return new FirstSamples(newSource, count);
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public void copyInputs(int index, float[] dst, int dstOffset) {
        source.copyInputs(Objects.checkIndex(index, count), dst, dstOffset);
    }

    @Override
    public void copyTarget(int index, float[] dst, int dstOffset) {
        source.copyTarget(Objects.checkIndex(index, count), dst, dstOffset);
    }
}
