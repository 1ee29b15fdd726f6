package dev.cortado.train;

import dev.cortado.backend.Backend;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.UnaryOp;
import dev.cortado.data.Batch;
import dev.cortado.nn.TensorSlot;
import dev.cortado.nn.loss.Loss;
import dev.cortado.nn.loss.MseLoss;
import dev.cortado.tensor.Tensor;

/** Regression targets of the output's shape: mean squared error, and the mean absolute error as the metric. */
final class Regression implements Objective {
    private final MseLoss loss = new MseLoss();
    private final TensorSlot targets = new TensorSlot();
    private final TensorSlot errors = new TensorSlot();

    @Override
    public String metricName() {
        return "mae";
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public Loss loss() {
        return loss;
    }

    @Override
    public Tensor uploadTargets(Backend backend, Batch batch) {
        return targets.upload(backend, batch.targetShape(), batch.targets());
    }

    @Override
    public void metricSum(Tensor output, Tensor target, Tensor sum) {
        Backend backend = output.backend();
        Tensor error = errors.get(backend, output.shape());
        backend.zip(BinaryOp.SUB, output, target, 1, error);
        backend.map(UnaryOp.ABS, error, error);
        int values = Math.toIntExact(output.size());
        int perSample = Math.toIntExact(output.shape().sizeAfterFirst());
        backend.sum(error, 1, values, 1, 1f / perSample, 0f, sum);
    }

    @Override
    public void close() {
        loss.close();
        targets.close();
        errors.close();
    }
}
