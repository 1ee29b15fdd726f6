package dev.cortado.nn.layers;

import dev.cortado.backend.PoolSpec;

/** Average pooling, like PyTorch's {@code nn.AvgPool2d}: padded positions count as zeros. */
public final class AvgPool2d extends Pool2d {

    public AvgPool2d(int kernel, int stride, int padding) {
        super(PoolSpec.Kind.AVG, kernel, stride, padding);
    }

    /** Non-overlapping windows: stride = kernel, no padding. */
    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0);
    }
}
