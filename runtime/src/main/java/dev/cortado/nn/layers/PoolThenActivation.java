package dev.cortado.nn.layers;

import dev.cortado.nn.Layer;
import dev.cortado.nn.Mode;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/**
 * ReLU followed by max pooling, run as the pooling followed by the ReLU: the ReLU then touches a pooled output, a
 * quarter of its input at 2x2 windows, instead of the whole input. The results are the same: ReLU never reorders
 * values, so the window's maximum is the same element either way where it is positive, and where it is not both
 * orders give 0 and a gradient of 0. (LeakyReLU is left out: rounding may make two of its outputs equal, and a tie
 * can send the gradient to another element.) Built by {@link ActivationLayer#fusedWith}; works through the two
 * layers and owns nothing.
 */
final class PoolThenActivation implements Layer {
    private final ActivationLayer relu;
    private final MaxPool2d pool;

    PoolThenActivation(ActivationLayer relu, MaxPool2d pool) {
        this.relu = relu;
        this.pool = pool;
    }

    @Override
    public String describe() {
        return relu.describe() + " -> " + pool.describe();
    }

    @Override
    public Shape outputShape(Shape input) {
        return pool.outputShape(input);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        return relu.forward(pool.forward(x, mode), mode);
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        return pool.backward(relu.backward(dy, true), inputGradient);
    }

    @Override
    public Layer evaluationCopy() {
        return relu.evaluationCopy().fusedWith(pool.evaluationCopy());
    }

    /** Nothing to release: the two layers hold the activations. */
    @Override
    public void close() {
    }
}
