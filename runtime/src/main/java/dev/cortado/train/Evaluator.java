package dev.cortado.train;

import dev.cortado.backend.Backend;
import dev.cortado.data.Batch;
import dev.cortado.data.BatchLoader;
import dev.cortado.data.Dataset;
import dev.cortado.data.SampleOrder;
import dev.cortado.nn.Layer;
import dev.cortado.nn.Mode;
import dev.cortado.nn.TensorSlot;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/**
 * Measures a model's loss and metric on a dataset (and, for a classification, its confusion matrix), in evaluation
 * mode and in index order. Per batch it uploads the inputs and targets and downloads the loss, the metric and, for
 * a classification, the predicted classes together.
 */
public final class Evaluator implements AutoCloseable {
    private final Backend backend;
    private final Layer model;
    private final Objective objective;
    private final int batchSize;
    private final TensorSlot inputs = new TensorSlot();
    /** [loss, metric sum, predicted class of each sample (classification only)], downloaded at once. */
    private final TensorSlot results = new TensorSlot();

    /**
     * @param backend the device the model and objective live on
     * @param batchSize samples per forward pass
     */
    public Evaluator(Backend backend, Layer model, Objective objective, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.backend = backend;
        this.model = model;
        this.objective = objective;
        this.batchSize = batchSize;
    }

    /** Mean loss and metric of the model on {@code data}, with a confusion matrix for a classification. */
    public Evaluation evaluate(Dataset data) {
        int classes = data.classes();
        int[][] confusion = classes > 0 ? new int[classes][classes] : null;
        double lossSum = 0;
        double metricSum = 0;
        float[] host = new float[batchSize + 2];
        try (BatchLoader loader = BatchLoader.open(data, batchSize, SampleOrder.sequential())) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                int n = batch.count();
                Tensor x = inputs.upload(backend, batch.inputShape(), batch.inputs());
                Tensor y = objective.uploadTargets(backend, batch);
                Tensor output = model.forward(x, Mode.EVAL);
                int predictions = confusion == null ? 0 : n;
                Tensor all = results.get(backend, Shape.of(2 + predictions));
                backend.copy(objective.loss().forward(output, y), all.slice(0, 1));
                objective.metricSum(output, y, all.slice(1, 2));
                if (confusion != null) {
                    backend.argmax(output, n, output.shape().dim(1), all.slice(2, 2 + n));
                }
                backend.download(all, host, 0);
                lossSum += (double) host[0] * n;
                metricSum += host[1];
                float[] truth = batch.targets();
                for (int i = 0; i < predictions; i++) {
                    confusion[(int) truth[i]][(int) host[i + 2]]++;
                }
            }
        }
        return new Evaluation(data.count() == 0 ? 0 : lossSum / data.count(), metricSum, data.count(), confusion);
    }

    /** Releases the evaluator's own device tensors (not the model or the objective). */
    @Override
    public void close() {
        inputs.close();
        results.close();
    }
}
