package dev.cortado.train;

/**
 * A run that cannot work, found before it starts: the data does not fit the model, the model cannot be built, or
 * a batch needs more memory than the device has. The message names the model, the data and the fix.
 */
public class PreflightException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What has to change. */
    public enum Problem {
        /** The data: its splits disagree with each other. */
        DATA,
        /** The model, or the data it is given: shapes, classes, or sizes no tensor can hold. */
        MODEL,
        /** The batch size or the model's size, against the device's memory. */
        MEMORY
    }

    private final Problem problem;

    public PreflightException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
