package dev.cortado.nn.layers;

import dev.cortado.backend.Backend;
import dev.cortado.backend.BinaryOp;
import dev.cortado.nn.Layer;
import dev.cortado.nn.Mode;
import dev.cortado.nn.ShapeMismatchException;
import dev.cortado.nn.TensorSlot;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/**
 * Global average pooling: {@code (N, C, H, W) -> (N, C)}, the mean of each channel's plane, as PyTorch's
 * {@code nn.AdaptiveAvgPool2d(1)} followed by {@code nn.Flatten()}; no parameters. Forward is one sum over the
 * planes scaled by {@code 1/(H*W)}; backward spreads each gradient evenly over its plane (a fill and a broadcast
 * multiplication).
 */
public final class GlobalAvgPool implements Layer {
    private final TensorSlot output = new TensorSlot();
    private final TensorSlot inputGrad = new TensorSlot();
    /** The input shape of the last training forward pass; null after an evaluation pass. */
    private Shape trained;

    @Override
    public String describe() {
        return "GlobalAvgPool";
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 4 || input.dim(0) < 1 || input.dim(1) < 1 || input.dim(2) < 1 || input.dim(3) < 1) {
            throw new ShapeMismatchException(describe(), "[N, C, H, W]", input);
        }
        return Shape.of(input.dim(0), input.dim(1));
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Shape shape = outputShape(x.shape());
        Backend backend = x.backend();
        int plane = x.shape().dim(2) * x.shape().dim(3);
        Tensor y = output.get(backend, shape);
        backend.sum(x, Math.toIntExact(shape.size()), plane, 1, 1f / plane, 0f, y);
        trained = mode == Mode.TRAIN ? x.shape() : null;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        Shape in = Layers.requireForward(trained, this);
        Layers.requireShape(this, "output gradient", outputShape(in), dy);
        if (!inputGradient) {
            return null;
        }
        Backend backend = dy.backend();
        int plane = in.dim(2) * in.dim(3);
        Tensor dx = inputGrad.get(backend, in);
        backend.fill(dx, 1f / plane);
        backend.zip(BinaryOp.MUL, dx, dy, plane, dx);
        return dx;
    }

    @Override
    public Layer evaluationCopy() {
        return new GlobalAvgPool();
    }

    @Override
    public void close() {
        output.close();
        inputGrad.close();
        trained = null;
    }
}
