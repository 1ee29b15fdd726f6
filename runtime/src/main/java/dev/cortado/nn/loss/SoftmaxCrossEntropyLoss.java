package dev.cortado.nn.loss;

import dev.cortado.backend.Backend;
import dev.cortado.nn.ShapeMismatchException;
import dev.cortado.nn.TensorSlot;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/**
 * Softmax followed by the negative log-likelihood of the target class, averaged over the batch: PyTorch's
 * {@code nn.CrossEntropyLoss} with class-index targets, optionally with its {@code label_smoothing}. Output
 * {@code (N, C)} logits, target {@code (N)} class indices stored as floats. Uses the backend's fused, numerically
 * stable op.
 */
public final class SoftmaxCrossEntropyLoss implements Loss {
    private final float smoothing;
    private final TensorSlot probs = new TensorSlot();
    private final TensorSlot rowLoss = new TensorSlot();
    private final TensorSlot loss = new TensorSlot();
    private final TensorSlot outputGrad = new TensorSlot();
    private Tensor labels;
    private Tensor savedProbs;

    /** The plain cross-entropy. */
    public SoftmaxCrossEntropyLoss() {
        this(0f);
    }

    /**
     * The cross-entropy against targets smoothed as PyTorch's {@code CrossEntropyLoss(label_smoothing=smoothing)}
     * smooths them: {@code 1 - smoothing} on the label plus {@code smoothing / C} on every class.
     *
     * @throws IllegalArgumentException unless smoothing is in [0, 1]
     */
    public SoftmaxCrossEntropyLoss(float smoothing) {
        if (!(smoothing >= 0f && smoothing <= 1f)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1], got " + smoothing);
        }
        this.smoothing = smoothing;
    }

    /** The label smoothing, 0 for none. */
    public float smoothing() {
        return smoothing;
    }

    @Override
    public String describe() {
        return smoothing == 0f ? "SoftmaxCrossEntropy" : "SoftmaxCrossEntropy(label smoothing " + smoothing + ")";
    }

    @Override
    public Tensor forward(Tensor output, Tensor target) {
        Shape shape = output.shape();
        if (shape.rank() != 2 || shape.dim(0) < 1 || shape.dim(1) < 1) {
            throw new ShapeMismatchException(describe(), "logits [N, C]", shape);
        }
        int n = shape.dim(0);
        if (!target.shape().equals(Shape.of(n))) {
            throw new ShapeMismatchException(describe() + " target", "[" + n + "] class indices for output "
                    + shape, target.shape());
        }
        Backend backend = output.backend();
        Tensor p = probs.get(backend, shape);
        Tensor rows = rowLoss.get(backend, Shape.of(n));
        backend.softmaxCrossEntropyForward(output, target, smoothing, p, rows);
        Tensor mean = loss.get(backend, Shape.of());
        backend.sum(rows, 1, n, 1, 1f / n, 0f, mean);
        labels = target;
        savedProbs = p;
        return mean;
    }

    @Override
    public Tensor backward() {
        if (labels == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        Backend backend = savedProbs.backend();
        Tensor grad = outputGrad.get(backend, savedProbs.shape());
        backend.softmaxCrossEntropyBackward(savedProbs, labels, smoothing, 1f / savedProbs.shape().dim(0), grad);
        return grad;
    }

    @Override
    public void close() {
        probs.close();
        rowLoss.close();
        loss.close();
        outputGrad.close();
        labels = null;
        savedProbs = null;
    }
}
