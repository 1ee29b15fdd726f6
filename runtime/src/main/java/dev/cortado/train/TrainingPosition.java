package dev.cortado.train;

/**
 * Where a training run stands between two steps: the next batch to run and how many updates were made. Batch
 * {@code k} of an epoch is the same whenever the epoch is started, so a run resumed here continues exactly.
 *
 * @param epoch the epoch the next step belongs to, from 0 ({@code epochs} once the run is complete)
 * @param batch the index of the next batch in that epoch, from 0
 * @param step optimizer updates made so far
 * @param trainSamples the number of training samples the epochs are made of; a resumed run must have as many
 */
public record TrainingPosition(int epoch, int batch, long step, int trainSamples) {

    public TrainingPosition {
        if (epoch < 0 || batch < 0 || step < 0 || trainSamples < 0) {
            throw new IllegalArgumentException("bad training position: epoch " + epoch + ", batch " + batch
                    + ", step " + step + ", " + trainSamples + " training samples");
        }
    }

    /** The start of a run. */
    public static TrainingPosition start(int trainSamples) {
        return new TrainingPosition(0, 0, 0, trainSamples);
    }

    /**
     * For messages, with 1-based epochs as progress lines print them: "the start (step 0)", "the end of epoch 2
     * (step 1876)" or "epoch 3 after batch 17 (step 1893)".
     */
    public String describe() {
        String where = batch > 0 ? "epoch " + (epoch + 1) + " after batch " + batch
                : epoch == 0 ? "the start" : "the end of epoch " + epoch;
        return where + " (step " + step + ")";
    }
}
