package dev.cortado.train;

import dev.cortado.backend.Backend;
import dev.cortado.data.Batch;
import dev.cortado.data.Targets;
import dev.cortado.nn.loss.Loss;
import dev.cortado.tensor.Tensor;

/**
 * What a model is trained for: the loss it minimises and the metric reported beside it, and how a batch's targets
 * reach the device in the form the loss takes. {@link #forTargets} picks the usual pair for a dataset: softmax
 * cross-entropy and accuracy for class indices, mean squared error and mean absolute error for regression values.
 * Implement it for another loss; {@link Trainer} and {@link Evaluator} call only these methods.
 */
public interface Objective extends AutoCloseable {

    /** The metric's name in reports: {@code accuracy}, {@code mae}. */
    String metricName();

    /** True when a higher metric is better (accuracy), false when lower is (an error). */
    boolean higherIsBetter();

    /** The loss, which the trainer calls forward and backward. */
    Loss loss();

    /** The batch's targets on the device, in the form {@link #loss()} takes (kept by the objective for reuse). */
    Tensor uploadTargets(Backend backend, Batch batch);

    /**
     * Writes the batch's metric, summed over its samples, into the one-element tensor {@code sum}: the number
     * of correct predictions, or the sum of each sample's mean absolute error. Divided by the number of samples
     * it is the metric.
     */
    void metricSum(Tensor output, Tensor targets, Tensor sum);

    /** Releases the loss and the objective's device tensors. */
    @Override
    void close();

    /** Cross-entropy and accuracy for class indices; MSE and mean absolute error for regression values. */
    static Objective forTargets(Targets targets) {
        return targets.isClassification() ? new Classification(0f) : new Regression();
    }

    /**
     * {@link #forTargets} with the loss settings of {@code config}: the cross-entropy's label smoothing.
     *
     * @throws IllegalArgumentException for label smoothing on regression targets
     */
    static Objective forTraining(Targets targets, TrainingConfig config) {
        if (targets.isClassification()) {
            return new Classification(config.labelSmoothing());
        }
        if (config.labelSmoothing() != 0) {
            throw new IllegalArgumentException("label smoothing applies to class labels; these targets are "
                    + "regression values");
        }
        return new Regression();
    }
}
