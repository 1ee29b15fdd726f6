package dev.cortado.data;

/** The background thread of a {@link BatchLoader} failed; the cause is what it threw. */
public class BatchProducerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BatchProducerException(String message, Throwable cause) {
        super(message, cause);
    }
}
