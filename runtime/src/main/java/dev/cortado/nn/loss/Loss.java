package dev.cortado.nn.loss;

import dev.cortado.tensor.Tensor;

/**
 * A training objective, averaged over the batch. Like layers, a loss computes on the device with
 * {@link dev.cortado.backend.Backend} ops only and owns the tensors it returns (valid until its next call).
 */
public interface Loss extends AutoCloseable {

    /** A short description for messages, e.g. {@code SoftmaxCrossEntropy}. */
    String describe();

    /**
     * The mean loss over the batch, as a one-element tensor. For classification losses {@code target} holds N
     * class indices as floats; for regression losses it has the output's shape.
     *
     * @throws dev.cortado.nn.ShapeMismatchException naming both shapes when target does not fit output
     */
    Tensor forward(Tensor output, Tensor target);

    /** The gradient of the last forward's mean loss with respect to its output. */
    Tensor backward();

    @Override
    void close();
}
