package dev.cortado.train;

/**
 * A checkpoint cannot be read or used: the file is missing, not a Cortado checkpoint, of another format version,
 * or does not fit the run it should continue. The message names the file and the problem.
 */
public class CheckpointException extends Exception {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
