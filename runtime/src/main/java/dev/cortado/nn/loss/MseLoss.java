package dev.cortado.nn.loss;

import dev.cortado.backend.Backend;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.UnaryOp;
import dev.cortado.nn.ShapeMismatchException;
import dev.cortado.nn.TensorSlot;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/** The mean of the squared differences over all elements, like PyTorch's {@code nn.MSELoss()}. */
public final class MseLoss implements Loss {
    private final TensorSlot difference = new TensorSlot();
    private final TensorSlot squares = new TensorSlot();
    private final TensorSlot loss = new TensorSlot();
    private final TensorSlot outputGrad = new TensorSlot();
    private Tensor savedDifference;

    @Override
    public String describe() {
        return "MSE";
    }

    @Override
    public Tensor forward(Tensor output, Tensor target) {
        Shape shape = output.shape();
        if (shape.size() < 1) {
            throw new ShapeMismatchException(describe(), "a non-empty output", shape);
        }
        if (!target.shape().equals(shape)) {
            throw new ShapeMismatchException(describe() + " target", "the output's shape " + shape,
                    target.shape());
        }
        Backend backend = output.backend();
        int count = Math.toIntExact(shape.size());
        Tensor diff = difference.get(backend, shape);
        backend.zip(BinaryOp.SUB, output, target, 1, diff);
        Tensor sq = squares.get(backend, shape);
        backend.map(UnaryOp.SQUARE, diff, sq);
        Tensor mean = loss.get(backend, Shape.of());
        backend.sum(sq, 1, count, 1, 1f / count, 0f, mean);
        savedDifference = diff;
        return mean;
    }

    @Override
    public Tensor backward() {
        if (savedDifference == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        Backend backend = savedDifference.backend();
        Tensor grad = outputGrad.get(backend, savedDifference.shape());
        backend.affine(2f / savedDifference.size(), savedDifference, 0f, grad);
        return grad;
    }

    @Override
    public void close() {
        difference.close();
        squares.close();
        loss.close();
        outputGrad.close();
        savedDifference = null;
    }
}
