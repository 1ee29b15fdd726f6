package dev.cortado.nn.layers;

import dev.cortado.backend.PoolSpec;

/** Max pooling, like PyTorch's {@code nn.MaxPool2d}: padded positions never win. */
public final class MaxPool2d extends Pool2d {

    public MaxPool2d(int kernel, int stride, int padding) {
        super(PoolSpec.Kind.MAX, kernel, stride, padding);
    }

    /** Non-overlapping windows: stride = kernel, no padding. */
    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }
}
