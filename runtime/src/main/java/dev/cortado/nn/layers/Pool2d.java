package dev.cortado.nn.layers;

import dev.cortado.backend.Backend;
import dev.cortado.backend.PoolSpec;
import dev.cortado.nn.Layer;
import dev.cortado.nn.Mode;
import dev.cortado.nn.ShapeMismatchException;
import dev.cortado.nn.TensorSlot;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/** Square-window pooling over an NCHW batch, as {@link PoolSpec} defines it; no parameters. */
public abstract sealed class Pool2d implements Layer permits MaxPool2d, AvgPool2d {
    private final PoolSpec.Kind kind;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final TensorSlot output = new TensorSlot();
    private final TensorSlot inputGrad = new TensorSlot();
    private Tensor input;
    private PoolSpec trained;

    Pool2d(PoolSpec.Kind kind, int kernel, int stride, int padding) {
        if (kernel < 1 || stride < 1 || padding < 0 || 2 * padding > kernel) {
            throw new IllegalArgumentException("bad " + name(kind) + ": kernel=" + kernel + " stride=" + stride
                    + " padding=" + padding + " (kernel and stride >= 1, padding at most half the kernel)");
        }
        this.kind = kind;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    private static String name(PoolSpec.Kind kind) {
        return kind == PoolSpec.Kind.MAX ? "MaxPool2d" : "AvgPool2d";
    }

    @Override
    public String describe() {
        return name(kind) + "(" + kernel + (stride != kernel ? ", stride " + stride : "")
                + (padding != 0 ? ", padding " + padding : "") + ")";
    }

    @Override
    public Shape outputShape(Shape input) {
        PoolSpec spec = specFor(input);
        return Shape.of(spec.batch(), spec.channels(), spec.outHeight(), spec.outWidth());
    }

    private PoolSpec specFor(Shape input) {
        if (input.rank() != 4 || input.dim(0) < 1 || input.dim(1) < 1) {
            throw new ShapeMismatchException(describe(), "[N, C, H, W]", input);
        }
        if (input.dim(2) + 2 * padding < kernel || input.dim(3) + 2 * padding < kernel) {
            throw new ShapeMismatchException(describe(), "an image of at least " + (kernel - 2 * padding) + "x"
                    + (kernel - 2 * padding), input);
        }
        return new PoolSpec(kind, input.dim(0), input.dim(1), input.dim(2), input.dim(3), kernel, stride, padding);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        PoolSpec spec = specFor(x.shape());
        Backend backend = x.backend();
        Tensor y = output.get(backend, Shape.of(spec.batch(), spec.channels(), spec.outHeight(), spec.outWidth()));
        backend.poolForward(spec, x, y);
        trained = mode == Mode.TRAIN ? spec : null;
        input = mode == Mode.TRAIN ? x : null;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        PoolSpec spec = Layers.requireForward(trained, this);
        Layers.requireShape(this, "output gradient",
                Shape.of(spec.batch(), spec.channels(), spec.outHeight(), spec.outWidth()), dy);
        if (!inputGradient) {
            return null;
        }
        Backend backend = dy.backend();
        Tensor dx = inputGrad.get(backend, input.shape());
        backend.poolBackward(spec, input, dy, dx);
        return dx;
    }

    @Override
    public Layer evaluationCopy() {
        return kind == PoolSpec.Kind.MAX ? new MaxPool2d(kernel, stride, padding)
                : new AvgPool2d(kernel, stride, padding);
    }

    @Override
    public void close() {
        output.close();
        inputGrad.close();
        input = null;
        trained = null;
    }
}
