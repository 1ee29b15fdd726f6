package dev.cortado.train;

/**
 * The summary of one training epoch.
 *
 * @param epoch the epoch, from 0
 * @param trainLoss mean training loss over the steps run in this epoch
 * @param trainMetric the training metric over those steps, measured before each update as frameworks report it:
 *     the accuracy of a classification, the mean absolute error of a regression
 * @param samples training samples processed in this epoch
 * @param seconds wall time of the training steps
 * @param complete false when the epoch was stopped early on request (its remaining batches not run)
 * @param test the evaluation on held-out data after a complete epoch, or null
 */
public record EpochResult(int epoch, double trainLoss, double trainMetric, long samples, double seconds,
                          boolean complete, Evaluation test) {

    /** Training throughput of this epoch. */
    public double imagesPerSecond() {
        return seconds > 0 ? samples / seconds : 0;
    }
}
