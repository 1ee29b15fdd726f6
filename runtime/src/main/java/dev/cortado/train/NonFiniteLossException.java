package dev.cortado.train;

/**
 * The loss or the weights became NaN or infinite: training cannot continue from the state this step produced, and
 * no checkpoint of that state is written.
 */
public class NonFiniteLossException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long step;

    public NonFiniteLossException(long step, int epoch, int batch, float loss) {
        this(step, "loss became " + loss + " at step " + step + " (epoch " + (epoch + 1) + ", batch " + (batch + 1)
                + "); lower the learning rate or check the data");
    }

    private NonFiniteLossException(long step, String message) {
        super(message);
        this.step = step;
    }

    /**
     * The weights or optimizer state became NaN or infinite by {@code position} although every loss was finite
     * (the last update overflowed).
     *
     * @param what the tensors and their non-finite values, as {@link Checkpoint#nonFinite()} says
     */
    public static NonFiniteLossException inWeights(TrainingPosition position, String what) {
        return new NonFiniteLossException(position.step() - 1, "weights became NaN or infinite at "
                + position.describe() + ": " + what + "; lower the learning rate or check the data");
    }

    /** The optimizer step whose loss, or whose update, was not finite. */
    public long step() {
        return step;
    }
}
