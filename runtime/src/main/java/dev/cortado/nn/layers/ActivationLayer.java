package dev.cortado.nn.layers;

import dev.cortado.backend.Activation;
import dev.cortado.backend.Backend;
import dev.cortado.nn.Layer;
import dev.cortado.nn.Mode;
import dev.cortado.nn.TensorSlot;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/** An element-wise activation (ReLU, LeakyReLU, Sigmoid, Tanh, GELU, SiLU) on input of any shape; no parameters. */
public final class ActivationLayer implements Layer {
    /** PyTorch's default negative slope for {@code nn.LeakyReLU}. */
    public static final float DEFAULT_SLOPE = 0.01f;

    private final Activation function;
    private final float alpha;
    private final TensorSlot output = new TensorSlot();
    private final TensorSlot inputGrad = new TensorSlot();
    private Tensor input;
    private Tensor savedOutput;

    private ActivationLayer(Activation function, float alpha) {
        this.function = function;
        this.alpha = alpha;
    }

    /** A layer applying {@code function}; {@code alpha} is LeakyReLU's negative slope, ignored by the others. */
    public static ActivationLayer of(Activation function, float alpha) {
        if (!Float.isFinite(alpha)) {
            throw new IllegalArgumentException("activation parameter must be finite, got " + alpha);
        }
        return new ActivationLayer(function, function == Activation.LEAKY_RELU ? alpha : 0f);
    }

    @Override
    public Layer evaluationCopy() {
        return new ActivationLayer(function, alpha);
    }

    public static ActivationLayer relu() {
        return of(Activation.RELU, 0f);
    }

    /** {@code x} for positive x, else {@code slope * x}. */
    public static ActivationLayer leakyRelu(float slope) {
        return of(Activation.LEAKY_RELU, slope);
    }

    /** LeakyReLU with slope {@value #DEFAULT_SLOPE}. */
    public static ActivationLayer leakyRelu() {
        return leakyRelu(DEFAULT_SLOPE);
    }

    public static ActivationLayer sigmoid() {
        return of(Activation.SIGMOID, 0f);
    }

    public static ActivationLayer tanh() {
        return of(Activation.TANH, 0f);
    }

    /** The exact GELU, {@code x * Phi(x)}, as PyTorch's {@code nn.GELU()}. */
    public static ActivationLayer gelu() {
        return of(Activation.GELU, 0f);
    }

    /** {@code x * sigmoid(x)}, as PyTorch's {@code nn.SiLU()}. */
    public static ActivationLayer silu() {
        return of(Activation.SILU, 0f);
    }

    @Override
    public String describe() {
        return switch (function) {
            case RELU -> "ReLU";
            case LEAKY_RELU -> "LeakyReLU(" + alpha + ")";
            case SIGMOID -> "Sigmoid";
            case TANH -> "Tanh";
            case GELU -> "GELU";
            case SILU -> "SiLU";
        };
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Backend backend = x.backend();
        Tensor y = output.get(backend, x.shape());
        backend.activationForward(function, alpha, x, y);
        input = mode == Mode.TRAIN ? x : null;
        savedOutput = mode == Mode.TRAIN ? y : null;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        Tensor x = Layers.requireForward(input, this);
        Layers.requireShape(this, "output gradient", x.shape(), dy);
        if (!inputGradient) {
            return null;
        }
        Backend backend = dy.backend();
        Tensor dx = inputGrad.get(backend, x.shape());
        backend.activationBackward(function, alpha, x, savedOutput, dy, dx);
        return dx;
    }

    /** ReLU followed by max pooling fuses: see {@link PoolThenActivation}. */
    @Override
    public Layer fusedWith(Layer next) {
        return isRelu() && next instanceof MaxPool2d pool ? new PoolThenActivation(this, pool) : null;
    }

    boolean isRelu() {
        return function == Activation.RELU;
    }

    /**
     * ReLU's input gradient from its output z instead of its input, for a fusion that computed z itself
     * ({@link BatchNormThenRelu}, {@link Residual}): z is positive exactly where the input was, so the gradient is
     * the same.
     */
    Tensor reluBackwardFromOutput(Tensor z, Tensor dz) {
        Layers.requireShape(this, "output gradient", z.shape(), dz);
        Backend backend = dz.backend();
        Tensor dx = inputGrad.get(backend, z.shape());
        backend.activationBackward(Activation.RELU, 0f, z, null, dz, dx);
        return dx;
    }

    @Override
    public void close() {
        output.close();
        inputGrad.close();
        input = null;
        savedOutput = null;
    }
}
