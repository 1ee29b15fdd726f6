package dev.cortado.io;

import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/**
 * A tensor's values on the host, as checkpoints store them.
 *
 * @param shape dimensions, row-major
 * @param data the values
 */
public record HostTensor(int[] shape, float[] data) {

    public HostTensor {
        if (Shape.of(shape).size() != data.length) {
            throw new IllegalArgumentException("shape " + Shape.of(shape) + " needs " + Shape.of(shape).size()
                    + " values, got " + data.length);
        }
    }

    /** Downloads a device tensor. */
    public static HostTensor of(Tensor t) {
        return new HostTensor(t.shape().dims(), t.toArray());
    }

    /** Uploads these values into an existing device tensor of the same shape. */
    public void copyInto(Tensor target, String name) {
        if (!target.shape().equals(Shape.of(shape))) {
            throw new IllegalArgumentException(name + ": stored shape " + Shape.of(shape)
                    + " does not match the model's " + target.shape());
        }
        target.backend().upload(data, 0, target);
    }
}
