package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/**
 * A trainable tensor and its gradient, of the same shape, both on the layer's device. Backward passes add into
 * {@link #grad()}; the optimizer zeroes it after each step.
 *
 * @param name the name within its layer, as PyTorch names it ({@code weight}, {@code bias})
 * @param value the parameter
 * @param grad its gradient
 */
public record Parameter(String name, Tensor value, Tensor grad) implements AutoCloseable {

    public Parameter {
        if (!value.shape().equals(grad.shape())) {
            throw new IllegalArgumentException("parameter " + name + ": gradient shape " + grad.shape()
                    + " differs from value shape " + value.shape());
        }
    }

    /** Allocates a parameter and a zeroed gradient of the given values. */
    public static Parameter of(String name, Tensor value) {
        return new Parameter(name, value, value.backend().full(value.shape(), 0f));
    }

    @Override
    public void close() {
        value.close();
        grad.close();
    }
}
