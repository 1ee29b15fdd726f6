package dev.cortado.train;

/**
 * What one training step reports back to the host: the only values downloaded per step.
 *
 * @param step the optimizer step this was, from 0
 * @param loss mean loss of the batch, before the update
 * @param metricSum the batch's metric summed over its samples (see {@link Objective#metricSum}): the number of
 *     correct predictions for a classification
 * @param count samples in the batch
 * @param lr the learning rate used for the update
 */
public record StepResult(long step, float loss, float metricSum, int count, float lr) {

    /** The batch's metric: its accuracy, or its mean absolute error. */
    public double metric() {
        return count == 0 ? 0 : metricSum / count;
    }
}
