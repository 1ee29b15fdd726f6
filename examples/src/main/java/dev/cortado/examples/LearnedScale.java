package dev.cortado.examples;

import dev.cortado.backend.Backend;
import dev.cortado.backend.BinaryOp;
import dev.cortado.nn.Layer;
import dev.cortado.nn.Mode;
import dev.cortado.nn.Parameter;
import dev.cortado.nn.TensorSlot;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.List;

/**
 * A layer of one's own: multiplies each feature of an {@code (N, F)} input by a learned scale, {@code y = x * s}.
 * It calls only {@link Backend} ops, so it runs on every device; its parameter is named {@code scale}, which is
 * how checkpoints (and a PyTorch module with an {@code nn.Parameter} of that name) see it.
 */
public final class LearnedScale implements Layer {
    private final Backend backend;
    private final int features;
    private final Parameter scale;
    private final boolean ownsScale;
    private final TensorSlot output = new TensorSlot();
    private final TensorSlot inputGrad = new TensorSlot();
    private final TensorSlot products = new TensorSlot();
    private Tensor input;

    /** Starts with every scale at 1. */
    public LearnedScale(Backend backend, int features) {
        this.backend = backend;
        this.features = features;
        this.scale = Parameter.of("scale", backend.full(Shape.of(features), 1f));
        this.ownsScale = true;
    }

    private LearnedScale(LearnedScale shared) {
        this.backend = shared.backend;
        this.features = shared.features;
        this.scale = shared.scale;
        this.ownsScale = false;
    }

    @Override
    public String describe() {
        return "LearnedScale(" + features + ")";
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 2 || in.dim(1) != features) {
            throw new IllegalArgumentException(describe() + " needs input [N, " + features + "], got " + in);
        }
        return in;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = output.get(backend, outputShape(x.shape()));
        backend.zip(BinaryOp.MUL, x, scale.value(), 1, y);
        input = mode == Mode.TRAIN ? x : null;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        if (input == null) {
            throw new IllegalStateException(describe() + ": backward without a training forward pass");
        }
        // ds[f] += sum over the batch of dy[n][f] * x[n][f]
        Tensor p = products.get(backend, dy.shape());
        backend.zip(BinaryOp.MUL, dy, input, 1, p);
        backend.sum(p, 1, dy.shape().dim(0), features, 1f, 1f, scale.grad());
        if (!inputGradient) {
            return null;
        }
        Tensor dx = inputGrad.get(backend, dy.shape());
        backend.zip(BinaryOp.MUL, dy, scale.value(), 1, dx);
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(scale);
    }

    @Override
    public Layer evaluationCopy() {
        return new LearnedScale(this);
    }

    @Override
    public void close() {
        if (ownsScale) {
            scale.close();
        }
        output.close();
        inputGrad.close();
        products.close();
        input = null;
    }
}
