package dev.cortado.data;

import dev.cortado.tensor.Shape;
import java.util.Objects;

/** The first {@code count} samples of a dataset, without copying them. */
record FirstSamples(Dataset whole, int count) implements Dataset {

    FirstSamples {
        Objects.checkFromToIndex(0, count, whole.count());
    }

    @Override
    public Shape sampleShape() {
        return whole.sampleShape();
    }

    @Override
    public Targets targets() {
        return whole.targets();
    }

    @Override
    public void copyInputs(int index, float[] dst, int dstOffset) {
        whole.copyInputs(Objects.checkIndex(index, count), dst, dstOffset);
    }

    @Override
    public void copyTarget(int index, float[] dst, int dstOffset) {
        whole.copyTarget(Objects.checkIndex(index, count), dst, dstOffset);
    }
}
