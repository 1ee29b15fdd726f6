package dev.cortado.nn;

import dev.cortado.backend.Backend;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/**
 * A reusable tensor owned by a layer: {@link #get} returns the same tensor while the shape stays the same and
 * swaps it through the pool when the shape changes (as for the last, smaller batch of an epoch).
 */
public final class TensorSlot implements AutoCloseable {
    private Tensor tensor;

    /** The slot's tensor with this shape; contents undefined after a shape change. */
    public Tensor get(Backend backend, Shape shape) {
        if (tensor == null || !tensor.shape().equals(shape)) {
            close();
            tensor = backend.allocate(shape);
        }
        return tensor;
    }

    /** The slot's tensor with this shape, holding the first {@code shape.size()} floats of {@code host}. */
    public Tensor upload(Backend backend, Shape shape, float[] host) {
        Tensor t = get(backend, shape);
        backend.upload(host, 0, t);
        return t;
    }

    /**
     * The slot's tensor with this shape, holding the first {@code shape.size()} floats of {@code host} as class
     * labels, checked on the host ({@link Backend#uploadLabels}).
     */
    public Tensor uploadLabels(Backend backend, Shape shape, float[] host) {
        Tensor t = get(backend, shape);
        backend.uploadLabels(host, 0, t);
        return t;
    }

    @Override
    public void close() {
        if (tensor != null) {
            tensor.close();
            tensor = null;
        }
    }
}
