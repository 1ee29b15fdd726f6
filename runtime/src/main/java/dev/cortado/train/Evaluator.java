package dev.cortado.train;

import dev.cortado.backend.Backend;
import dev.cortado.data.Batch;
import dev.cortado.data.BatchLoader;
import dev.cortado.data.Dataset;
import dev.cortado.data.SampleOrder;
import dev.cortado.nn.Layer;
import dev.cortado.nn.Mode;
import dev.cortado.nn.TensorSlot;
import dev.cortado.nn.loss.Loss;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/**
 * Measures a classifier's loss, accuracy and confusion matrix on a dataset, in evaluation mode and in index
 * order. Per batch it uploads the inputs and labels and downloads the loss and the predicted classes together.
 */
public final class Evaluator implements AutoCloseable {
    private final Backend backend;
    private final Layer model;
    private final Loss loss;
    private final int batchSize;
    private final TensorSlot inputs = new TensorSlot();
    private final TensorSlot labels = new TensorSlot();
    /** [loss, predicted class of each sample], downloaded at once. */
    private final TensorSlot results = new TensorSlot();

    /**
     * @param backend the device the model and loss live on
     * @param batchSize samples per forward pass
     */
    public Evaluator(Backend backend, Layer model, Loss loss, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.backend = backend;
        this.model = model;
        this.loss = loss;
        this.batchSize = batchSize;
    }

    /** Mean loss, accuracy and confusion matrix of the model on {@code data}. */
    public Evaluation evaluate(Dataset data) {
        int classes = data.classes();
        int[][] confusion = new int[classes][classes];
        double lossSum = 0;
        int correct = 0;
        float[] host = new float[batchSize + 1];
        try (BatchLoader loader = BatchLoader.open(data, batchSize, SampleOrder.sequential())) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                int n = batch.count();
                Tensor x = inputs.upload(backend, batch.inputShape(), batch.inputs());
                Tensor y = labels.uploadLabels(backend, Shape.of(n), batch.labels());
                Tensor output = model.forward(x, Mode.EVAL);
                Tensor both = results.get(backend, Shape.of(n + 1));
                backend.copy(loss.forward(output, y), both.slice(0, 1));
                backend.argmax(output, n, output.shape().dim(1), both.slice(1, n + 1));
                backend.download(both, host, 0);
                lossSum += (double) host[0] * n;
                float[] truth = batch.labels();
                for (int i = 0; i < n; i++) {
                    int label = (int) truth[i];
                    int guess = (int) host[i + 1];
                    confusion[label][guess]++;
                    if (label == guess) {
                        correct++;
                    }
                }
            }
        }
        return new Evaluation(data.count() == 0 ? 0 : lossSum / data.count(), correct, data.count(), confusion);
    }

    /** Releases the evaluator's own device tensors (not the model or the loss). */
    @Override
    public void close() {
        inputs.close();
        labels.close();
        results.close();
    }
}
