package dev.cortado.train;

/** The training statistics of (part of) an epoch, summed step by step: loss, metric and samples. */
final class EpochStats {
    private double lossSum;
    private double metricSum;
    private long samples;

    void add(StepResult step) {
        lossSum += (double) step.loss() * step.count();
        metricSum += step.metricSum();
        samples += step.count();
    }

    long samples() {
        return samples;
    }

    /** The mean loss and metric of the steps added so far, as an epoch's result. */
    EpochResult result(int epoch, double seconds, boolean complete, Evaluation test) {
        return new EpochResult(epoch, samples == 0 ? 0 : lossSum / samples, samples == 0 ? 0 : metricSum / samples,
                samples, seconds, complete, test);
    }
}
