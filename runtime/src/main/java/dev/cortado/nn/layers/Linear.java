package dev.cortado.nn.layers;

import dev.cortado.backend.Backend;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.GemmSpec;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.Mode;
import dev.cortado.nn.Parameter;
import dev.cortado.nn.ShapeMismatchException;
import dev.cortado.nn.TensorSlot;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.List;

/**
 * A fully connected layer, {@code y = x W^T + b}, with the weight stored as {@code (out, in)} like PyTorch's
 * {@code nn.Linear}. Input {@code (N, in)}, output {@code (N, out)}.
 */
public final class Linear implements Layer {
    private final Backend backend;
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private final TensorSlot output = new TensorSlot();
    private final TensorSlot inputGrad = new TensorSlot();
    /** False for an evaluation copy, which shares the parameters of the layer it copies. */
    private final boolean ownsParameters;
    private Tensor input;

    /** Weight and bias uniform in {@code +-1/sqrt(in)}, as PyTorch initializes them. */
    public Linear(Backend backend, Initializer init, int in, int out) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in=" + in + " out=" + out);
        }
        this.backend = backend;
        this.in = in;
        this.out = out;
        float bound = (float) (1 / Math.sqrt(in));
        this.weight = Parameter.of("weight", init.uniform(backend, Shape.of(out, in), bound));
        this.bias = Parameter.of("bias", init.uniform(backend, Shape.of(out), bound));
        this.ownsParameters = true;
    }

    private Linear(Linear shared) {
        this.backend = shared.backend;
        this.in = shared.in;
        this.out = shared.out;
        this.weight = shared.weight;
        this.bias = shared.bias;
        this.ownsParameters = false;
    }

    @Override
    public Layer evaluationCopy() {
        return new Linear(this);
    }

    @Override
    public String describe() {
        return "Linear(" + in + "->" + out + ")";
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 2 || input.dim(1) != in) {
            throw new ShapeMismatchException(describe(), "[N, " + in + "]", input);
        }
        return Shape.of(input.dim(0), out);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Shape shape = outputShape(x.shape());
        Layers.requireTrainable(mode, ownsParameters, this);
        int n = shape.dim(0);
        Tensor y = output.get(backend, shape);
        backend.gemm(GemmSpec.of(false, true, n, out, in), x, weight.value(), y);
        backend.zip(BinaryOp.ADD, y, bias.value(), 1, y);
        input = mode == Mode.TRAIN ? x : null;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        Tensor x = Layers.requireForward(input, this);
        int n = x.shape().dim(0);
        Layers.requireShape(this, "output gradient", Shape.of(n, out), dy);
        backend.gemm(GemmSpec.of(true, false, out, in, n).scaled(1f, 1f), dy, x, weight.grad());
        backend.sum(dy, 1, n, out, 1f, 1f, bias.grad());
        if (!inputGradient) {
            return null;
        }
        Tensor dx = inputGrad.get(backend, x.shape());
        backend.gemm(GemmSpec.of(false, false, n, in, out), dy, weight.value(), dx);
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public void close() {
        if (ownsParameters) {
            weight.close();
            bias.close();
        }
        output.close();
        inputGrad.close();
        input = null;
    }
}
