package dev.cortado.nn;

import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * One step of a model, with an explicit backward pass. A layer calls only {@link dev.cortado.backend.Backend}
 * ops, so it runs unchanged on every device. It allocates its outputs and gradients once per batch shape and
 * reuses them: the tensors it returns stay valid until its next call and belong to the layer.
 */
public interface Layer extends AutoCloseable {

    /** A short description for messages and summaries, e.g. {@code Conv2d(1->6, 5x5, padding 2)}. */
    String describe();

    /**
     * The output shape for an input shape; both include the batch dimension.
     *
     * @throws ShapeMismatchException naming both shapes and this layer when the input does not fit
     */
    Shape outputShape(Shape input);

    /** Computes the output; in {@link Mode#TRAIN} it keeps what {@link #backward} needs. */
    Tensor forward(Tensor x, Mode mode);

    /**
     * Back-propagates the gradient of the output of the last training forward pass: adds parameter gradients
     * into {@link Parameter#grad()} and returns the gradient with respect to the input, or null when
     * {@code inputGradient} is false (the first layer of a model needs none).
     */
    Tensor backward(Tensor dy, boolean inputGradient);

    /** Trainable parameters, in a fixed order. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** Non-trainable state saved in checkpoints (BatchNorm's running statistics), by PyTorch's names. */
    default Map<String, Tensor> buffers() {
        return Map.of();
    }

    /**
     * A layer that computes what this one computes in {@link Mode#EVAL}, with activations of its own but this
     * layer's parameters and buffers (shared, not copied): one per thread lets several threads evaluate one model
     * at once. The copy only evaluates (a training pass throws), and closing it releases only its activations.
     */
    Layer evaluationCopy();

    /**
     * A layer that computes this layer followed by {@code next} with less work and the same results, or null (the
     * default) where there is none. It works through the two layers themselves (their parameters, buffers and
     * activations) and owns nothing: closing it does nothing, and closing the two layers releases all.
     * {@link Sequential} runs each adjacent pair that fuses through it.
     */
    default Layer fusedWith(Layer next) {
        return null;
    }

    /** Releases parameters, buffers and cached activations (an evaluation copy: its activations only). */
    @Override
    void close();
}
