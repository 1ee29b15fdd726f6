package dev.cortado.nn.layers;

import dev.cortado.backend.Backend;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
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
 * A 2-D convolution over an NCHW batch, like PyTorch's {@code nn.Conv2d}: weight
 * {@code (outC, inC/groups, kernelH, kernelW)}, optional bias {@code (outC)}.
 *
 * <p>The backend convolves ({@link Backend#convolutionForward} and its two gradients, which say how the weight and
 * the column matrix meet); the layer adds the bias and keeps its input for the weight gradient.
 */
public final class Conv2d implements Layer {
    private final Backend backend;
    private final int inChannels;
    private final int outChannels;
    private final int kernelH;
    private final int kernelW;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final int groups;
    private final Parameter weight;
    private final Parameter bias;
    private final TensorSlot output = new TensorSlot();
    private final TensorSlot inputGrad = new TensorSlot();
    private final TensorSlot planeSums = new TensorSlot();
    /** False for an evaluation copy, which shares the parameters of the layer it copies. */
    private final boolean ownsParameters;
    /** The convolution of the last training forward pass; null after eval. */
    private ConvSpec trained;
    /** The input of the last training forward pass, which the weight gradient reads. */
    private Tensor trainedInput;

    /**
     * Weight and bias uniform in {@code +-1/sqrt(inC/groups*kH*kW)}, as PyTorch initializes them (Kaiming uniform
     * with a = sqrt(5) over the fan-in).
     *
     * @param groups splits the channels into groups convolved separately; it must divide both channel counts
     *     ({@code inChannels} for a depthwise convolution)
     * @param bias whether the layer adds a per-channel bias (false before a batch norm, which has its own)
     */
    public Conv2d(Backend backend, Initializer init, int inChannels, int outChannels, int kernelH, int kernelW,
                  int stride, int padding, int dilation, int groups, boolean bias) {
        if (inChannels < 1 || outChannels < 1 || kernelH < 1 || kernelW < 1 || stride < 1 || padding < 0
                || dilation < 1 || groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("bad Conv2d: in=" + inChannels + " out=" + outChannels + " kernel="
                    + kernelH + "x" + kernelW + " stride=" + stride + " padding=" + padding + " dilation="
                    + dilation + " groups=" + groups + " (groups must divide in and out)");
        }
        this.backend = backend;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        int groupInChannels = inChannels / groups;
        float bound = (float) (1 / Math.sqrt((double) groupInChannels * kernelH * kernelW));
        this.weight = Parameter.of("weight",
                init.uniform(backend, Shape.of(outChannels, groupInChannels, kernelH, kernelW), bound));
        this.bias = bias ? Parameter.of("bias", init.uniform(backend, Shape.of(outChannels), bound)) : null;
        this.ownsParameters = true;
    }

    private Conv2d(Conv2d shared) {
        this.backend = shared.backend;
        this.inChannels = shared.inChannels;
        this.outChannels = shared.outChannels;
        this.kernelH = shared.kernelH;
        this.kernelW = shared.kernelW;
        this.stride = shared.stride;
        this.padding = shared.padding;
        this.dilation = shared.dilation;
        this.groups = shared.groups;
        this.weight = shared.weight;
        this.bias = shared.bias;
        this.ownsParameters = false;
    }

    @Override
    public Layer evaluationCopy() {
        return new Conv2d(this);
    }

    /** One group. */
    public Conv2d(Backend backend, Initializer init, int inChannels, int outChannels, int kernelH, int kernelW,
                  int stride, int padding, int dilation, boolean bias) {
        this(backend, init, inChannels, outChannels, kernelH, kernelW, stride, padding, dilation, 1, bias);
    }

    /** A square kernel with a bias, stride 1, no padding, no dilation. */
    public Conv2d(Backend backend, Initializer init, int inChannels, int outChannels, int kernel) {
        this(backend, init, inChannels, outChannels, kernel, kernel, 1, 0, 1, true);
    }

    @Override
    public String describe() {
        StringBuilder s = new StringBuilder("Conv2d(").append(inChannels).append("->").append(outChannels)
                .append(", ").append(kernelH).append('x').append(kernelW);
        if (stride != 1) {
            s.append(", stride ").append(stride);
        }
        if (padding != 0) {
            s.append(", padding ").append(padding);
        }
        if (dilation != 1) {
            s.append(", dilation ").append(dilation);
        }
        if (groups != 1) {
            s.append(", groups ").append(groups);
        }
        if (bias == null) {
            s.append(", no bias");
        }
        return s.append(')').toString();
    }

    @Override
    public Shape outputShape(Shape input) {
        ConvGeometry g = geometryFor(input);
        return Shape.of(g.batch(), outChannels, g.outHeight(), g.outWidth());
    }

    private ConvGeometry geometryFor(Shape input) {
        if (input.rank() != 4 || input.dim(1) != inChannels || input.dim(0) < 1) {
            throw new ShapeMismatchException(describe(), "[N, " + inChannels + ", H, W]", input);
        }
        try {
            return new ConvGeometry(input.dim(0), inChannels, input.dim(2), input.dim(3), kernelH, kernelW, stride,
                    padding, dilation);
        } catch (IllegalArgumentException e) {
            throw new ShapeMismatchException(describe(), "an image the kernel fits (" + e.getMessage() + ")",
                    input);
        }
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        ConvSpec spec = new ConvSpec(geometryFor(x.shape()), outChannels, groups);
        Layers.requireTrainable(mode, ownsParameters, this);
        ConvGeometry g = spec.geometry();
        Tensor y = output.get(backend, Shape.of(g.batch(), outChannels, g.outHeight(), g.outWidth()));
        backend.convolutionForward(spec, x, weight.value(), y);
        if (bias != null) {
            backend.zip(BinaryOp.ADD, y, bias.value(), spec.outPlane(), y);
        }
        trained = mode == Mode.TRAIN ? spec : null;
        trainedInput = mode == Mode.TRAIN ? x : null;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        ConvSpec spec = Layers.requireForward(trained, this);
        ConvGeometry g = spec.geometry();
        Layers.requireShape(this, "output gradient", Shape.of(g.batch(), outChannels, g.outHeight(), g.outWidth()),
                dy);
        backend.convolutionBackwardWeight(spec, trainedInput, dy, weight.grad());
        if (bias != null) {
            // over each (image, channel) plane, then over the images
            Tensor sums = planeSums.get(backend, Shape.of(g.batch(), outChannels));
            backend.sum(dy, g.batch() * outChannels, spec.outPlane(), 1, 1f, 0f, sums);
            backend.sum(sums, 1, g.batch(), outChannels, 1f, 1f, bias.grad());
        }
        if (!inputGradient) {
            return null;
        }
        Tensor dx = inputGrad.get(backend, Shape.of(g.batch(), inChannels, g.height(), g.width()));
        backend.convolutionBackwardInput(spec, weight.value(), dy, dx);
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    public void close() {
        if (ownsParameters) {
            weight.close();
            if (bias != null) {
                bias.close();
            }
        }
        output.close();
        inputGrad.close();
        planeSums.close();
        trained = null;
        trainedInput = null;
    }
}
