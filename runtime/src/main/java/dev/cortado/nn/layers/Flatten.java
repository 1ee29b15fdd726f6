package dev.cortado.nn.layers;

import dev.cortado.nn.Layer;
import dev.cortado.nn.Mode;
import dev.cortado.nn.ShapeMismatchException;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/** {@code (N, d1, d2, ...) -> (N, d1*d2*...)} as a view of the same memory; no parameters, no copies. */
public final class Flatten implements Layer {
    private Shape inputShape;

    @Override
    public String describe() {
        return "Flatten";
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() < 2) {
            throw new ShapeMismatchException(describe(), "[N, ...] of rank 2 or more", input);
        }
        return Shape.of(input.dim(0), Math.toIntExact(input.sizeAfterFirst()));
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Shape out = outputShape(x.shape());
        inputShape = mode == Mode.TRAIN ? x.shape() : null;
        return x.reshape(out);
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        Shape in = Layers.requireForward(inputShape, this);
        Layers.requireShape(this, "output gradient", outputShape(in), dy);
        return inputGradient ? dy.reshape(in) : null;
    }

    @Override
    public Layer evaluationCopy() {
        return new Flatten();
    }

    @Override
    public void close() {
        inputShape = null;
    }
}
