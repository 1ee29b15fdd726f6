package dev.cortado.train;

/** The training statistics of (part of) an epoch, summed step by step: loss, hits and samples. */
final class EpochStats {
    private double lossSum;
    private long correct;
    private long samples;

    void add(StepResult step) {
        lossSum += (double) step.loss() * step.count();
        correct += step.correct();
        samples += step.count();
    }

    long samples() {
        return samples;
    }

    /** The mean loss and accuracy of the steps added so far, as an epoch's result. */
    EpochResult result(int epoch, double seconds, boolean complete, Evaluation test) {
        return new EpochResult(epoch, samples == 0 ? 0 : lossSum / samples,
                samples == 0 ? 0 : (double) correct / samples, samples, seconds, complete, test);
    }
}
