package dev.cortado.train;

/** The loss became NaN or infinite: training cannot continue from the weights this step produced. */
public class NonFiniteLossException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long step;

    public NonFiniteLossException(long step, int epoch, int batch, float loss) {
        super("loss became " + loss + " at step " + step + " (epoch " + (epoch + 1) + ", batch " + (batch + 1)
                + "); lower the learning rate or check the data");
        this.step = step;
    }

    /** The optimizer step whose loss was not finite. */
    public long step() {
        return step;
    }
}
