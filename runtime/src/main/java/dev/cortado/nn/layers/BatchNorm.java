package dev.cortado.nn.layers;

import dev.cortado.backend.Backend;
import dev.cortado.backend.BatchNormSpec;
import dev.cortado.backend.UnaryOp;
import dev.cortado.nn.Layer;
import dev.cortado.nn.Mode;
import dev.cortado.nn.Parameter;
import dev.cortado.nn.ShapeMismatchException;
import dev.cortado.nn.TensorSlot;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Batch normalization with a learned scale and shift, like PyTorch's {@code nn.BatchNorm1d} on {@code (N, F)} or
 * {@code (N, C, L)} input and {@code nn.BatchNorm2d} on {@code (N, C, H, W)} input (statistics per channel over
 * every axis but the second), with momentum {@value #MOMENTUM} and epsilon {@value #EPSILON}.
 *
 * <p>Training normalizes with the batch mean and biased variance and moves the running statistics towards the
 * batch mean and the unbiased variance; evaluation normalizes with the running statistics. Training is the
 * backend's batch-norm ops ({@link Backend#batchNormForward}, {@link Backend#batchNormBackward}), evaluation a
 * per-channel scale and shift; both view the input as {@code (N, C, S)} with {@code S} the product of the axes
 * after the channels ({@code L}, {@code H*W}, or 1).
 */
public final class BatchNorm implements Layer {
    public static final float MOMENTUM = 0.1f;
    public static final float EPSILON = 1e-5f;

    private final Backend backend;
    private final int features;
    private final boolean spatial;
    private final Parameter weight;
    private final Parameter bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    /** Training passes so far, a float scalar on the device; PyTorch keeps it as {@code num_batches_tracked}. */
    private final Tensor batchesTracked;
    private final TensorSlot batchMean = new TensorSlot();
    private final TensorSlot batchVariance = new TensorSlot();
    private final TensorSlot inverseStd = new TensorSlot();
    private final TensorSlot output = new TensorSlot();
    private final TensorSlot inputGrad = new TensorSlot();
    /** False for an evaluation copy, which shares the parameters and statistics of the layer it copies. */
    private final boolean ownsParameters;
    /** The input shape of the last training forward pass; null after an evaluation pass. */
    private Shape trained;
    /** The input of the last training forward pass, which the backward pass reads. */
    private Tensor trainedInput;

    private BatchNorm(Backend backend, int features, boolean spatial) {
        if (features < 1) {
            throw new IllegalArgumentException("BatchNorm needs at least one feature, got " + features);
        }
        this.backend = backend;
        this.features = features;
        this.spatial = spatial;
        Shape perFeature = Shape.of(features);
        this.weight = Parameter.of("weight", backend.full(perFeature, 1f));
        this.bias = Parameter.of("bias", backend.full(perFeature, 0f));
        this.runningMean = backend.full(perFeature, 0f);
        this.runningVar = backend.full(perFeature, 1f);
        this.batchesTracked = backend.full(Shape.of(), 0f);
        this.ownsParameters = true;
    }

    private BatchNorm(BatchNorm shared) {
        this.backend = shared.backend;
        this.features = shared.features;
        this.spatial = shared.spatial;
        this.weight = shared.weight;
        this.bias = shared.bias;
        this.runningMean = shared.runningMean;
        this.runningVar = shared.runningVar;
        this.batchesTracked = shared.batchesTracked;
        this.ownsParameters = false;
    }

    @Override
    public Layer evaluationCopy() {
        return new BatchNorm(this);
    }

    /** Normalizes each of {@code features} channels of an {@code (N, features)} or {@code (N, features, L)} input. */
    public static BatchNorm of1d(Backend backend, int features) {
        return new BatchNorm(backend, features, false);
    }

    /** Normalizes each of {@code channels} channels of an {@code (N, channels, H, W)} input. */
    public static BatchNorm of2d(Backend backend, int channels) {
        return new BatchNorm(backend, channels, true);
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    @Override
    public String describe() {
        return (spatial ? "BatchNorm2d(" : "BatchNorm1d(") + features + ")";
    }

    @Override
    public Shape outputShape(Shape input) {
        boolean fits = spatial ? input.rank() == 4 : input.rank() == 2 || input.rank() == 3;
        if (!fits || input.dim(1) != features || input.dim(0) < 1) {
            throw new ShapeMismatchException(describe(), spatial ? "[N, " + features + ", H, W]"
                    : "[N, " + features + "] or [N, " + features + ", L]", input);
        }
        return input;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        return forward(x, mode, false);
    }

    /** {@link #forward}, followed by ReLU on the output where {@code relu}: see {@link BatchNormThenRelu}. */
    Tensor forward(Tensor x, Mode mode, boolean relu) {
        Shape shape = outputShape(x.shape());
        Layers.requireTrainable(mode, ownsParameters, this);
        int n = shape.dim(0);
        int s = spatialSize(shape);
        Tensor y = output.get(backend, shape);
        if (mode == Mode.TRAIN) {
            trainForward(x, new BatchNormSpec(n, features, s), relu, y);
            backend.affine(1f, batchesTracked, 1f, batchesTracked);
            trained = shape;
            trainedInput = x;
        } else {
            evalForward(x, n, s, relu, y);
            trained = null;
            trainedInput = null;
        }
        return y;
    }

    private static int spatialSize(Shape shape) {
        int size = 1;
        for (int axis = 2; axis < shape.rank(); axis++) {
            size *= shape.dim(axis);
        }
        return size;
    }

    /** Normalizes with the batch's statistics (the mean kept for backward) and updates the running ones. */
    private void trainForward(Tensor x, BatchNormSpec spec, boolean relu, Tensor y) {
        long count = spec.perChannel();
        if (count < 2) {
            throw new ShapeMismatchException(describe(), "more than one value per channel in training", x.shape());
        }
        Shape perFeature = Shape.of(features);
        Tensor mean = batchMean.get(backend, perFeature);
        Tensor variance = batchVariance.get(backend, perFeature);
        Tensor invStd = inverseStd.get(backend, perFeature);
        if (relu) {
            backend.batchNormReluForward(spec, EPSILON, x, weight.value(), bias.value(), y, mean, variance);
        } else {
            backend.batchNormForward(spec, EPSILON, x, weight.value(), bias.value(), y, mean, variance);
        }
        backend.affine(1f, variance, EPSILON, invStd);
        backend.map(UnaryOp.RSQRT, invStd, invStd);

        // Running statistics take the unbiased variance, as PyTorch's do.
        float unbias = (float) count / (count - 1);
        backend.axpby(MOMENTUM, mean, 1f - MOMENTUM, runningMean);
        backend.axpby(MOMENTUM * unbias, variance, 1f - MOMENTUM, runningVar);
    }

    private void evalForward(Tensor x, int n, int s, boolean relu, Tensor y) {
        BatchNormSpec spec = new BatchNormSpec(n, features, s);
        if (relu) {
            backend.batchNormReluInference(spec, EPSILON, x, runningMean, runningVar, weight.value(), bias.value(), y);
        } else {
            backend.batchNormInference(spec, EPSILON, x, runningMean, runningVar, weight.value(), bias.value(), y);
        }
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        Shape shape = Layers.requireForward(trained, this);
        Layers.requireShape(this, "output gradient", shape, dy);
        Shape perFeature = Shape.of(features);
        Tensor dx = inputGradient ? inputGrad.get(backend, shape) : null;
        backend.batchNormBackward(new BatchNormSpec(shape.dim(0), features, spatialSize(shape)), trainedInput,
                batchMean.get(backend, perFeature), inverseStd.get(backend, perFeature), weight.value(), dy,
                weight.grad(), bias.grad(), dx);
        return dx;
    }

    /** Batch norm followed by ReLU fuses: see {@link BatchNormThenRelu}. */
    @Override
    public Layer fusedWith(Layer next) {
        return next instanceof ActivationLayer activation && activation.isRelu()
                ? new BatchNormThenRelu(this, activation) : null;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public Map<String, Tensor> buffers() {
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        buffers.put("running_mean", runningMean);
        buffers.put("running_var", runningVar);
        buffers.put("num_batches_tracked", batchesTracked);
        return buffers;
    }

    @Override
    public void close() {
        if (ownsParameters) {
            weight.close();
            bias.close();
            runningMean.close();
            runningVar.close();
            batchesTracked.close();
        }
        batchMean.close();
        batchVariance.close();
        inverseStd.close();
        output.close();
        inputGrad.close();
        trained = null;
        trainedInput = null;
    }
}
