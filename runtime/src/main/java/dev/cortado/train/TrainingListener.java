package dev.cortado.train;

/** Receives progress from a {@link Trainer}; every method has an empty default. */
public interface TrainingListener {

    /** After each optimizer step, with the number of batches in the epoch and images/s so far this epoch. */
    default void onStep(int epoch, int batch, int batchesPerEpoch, StepResult result, double imagesPerSecond) {
    }

    /** After each epoch and its evaluation. */
    default void onEpoch(EpochResult result) {
    }
}
