package dev.cortado.nn.layers;

import dev.cortado.nn.Layer;
import dev.cortado.nn.Mode;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/**
 * Batch norm followed by ReLU, as a residual network's blocks have them, with the ReLU in the normalization's pass
 * ({@link dev.cortado.backend.Backend#batchNormReluForward}, {@code batchNormReluInference}): one pass over the
 * activations fewer forward, and the ReLU's gradient taken from the fused output. Built by
 * {@link BatchNorm#fusedWith}; works through the two layers and owns nothing.
 */
final class BatchNormThenRelu implements Layer {
    private final BatchNorm norm;
    private final ActivationLayer relu;
    /** The output of the last training forward pass, which the ReLU's gradient reads. */
    private Tensor trainedOutput;

    BatchNormThenRelu(BatchNorm norm, ActivationLayer relu) {
        this.norm = norm;
        this.relu = relu;
    }

    @Override
    public String describe() {
        return norm.describe() + " -> " + relu.describe();
    }

    @Override
    public Shape outputShape(Shape input) {
        return norm.outputShape(input);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = norm.forward(x, mode, true);
        trainedOutput = mode == Mode.TRAIN ? y : null;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        Tensor y = Layers.requireForward(trainedOutput, this);
        return norm.backward(relu.reluBackwardFromOutput(y, dy), inputGradient);
    }

    @Override
    public Layer evaluationCopy() {
        return norm.evaluationCopy().fusedWith(relu.evaluationCopy());
    }

    /** Nothing to release: the two layers hold the activations. */
    @Override
    public void close() {
        trainedOutput = null;
    }
}
