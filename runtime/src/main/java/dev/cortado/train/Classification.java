package dev.cortado.train;

import dev.cortado.backend.Backend;
import dev.cortado.backend.BinaryOp;
import dev.cortado.data.Batch;
import dev.cortado.nn.TensorSlot;
import dev.cortado.nn.loss.Loss;
import dev.cortado.nn.loss.SoftmaxCrossEntropyLoss;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/**
 * Class-index targets: softmax cross-entropy, and accuracy counted on the device (the first highest logit equal
 * to the label). Labels are uploaded with {@link Backend#uploadLabels}, so they are checked on the host.
 */
final class Classification implements Objective {
    private final SoftmaxCrossEntropyLoss loss;
    private final TensorSlot labels = new TensorSlot();
    private final TensorSlot hits = new TensorSlot();

    /** @param labelSmoothing the cross-entropy's label smoothing in [0, 1]; 0 for none */
    Classification(float labelSmoothing) {
        loss = new SoftmaxCrossEntropyLoss(labelSmoothing);
    }

    @Override
    public String metricName() {
        return "accuracy";
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public Loss loss() {
        return loss;
    }

    @Override
    public Tensor uploadTargets(Backend backend, Batch batch) {
        return labels.uploadLabels(backend, batch.targetShape(), batch.targets());
    }

    @Override
    public void metricSum(Tensor output, Tensor targets, Tensor sum) {
        Backend backend = output.backend();
        int n = output.shape().dim(0);
        Tensor correct = hits.get(backend, Shape.of(n));
        backend.argmax(output, n, output.shape().dim(1), correct);
        backend.zip(BinaryOp.EQUAL, correct, targets, 1, correct);
        backend.sum(correct, 1, n, 1, 1f, 0f, sum);
    }

    @Override
    public void close() {
        loss.close();
        labels.close();
        hits.close();
    }
}
