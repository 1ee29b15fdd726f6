package dev.cortado.data;

/**
 * A sample of a dataset that reads its files as it goes could not be read: an image that does not decode, a file
 * changed or removed since the dataset was opened. The message names the file and the sample. A
 * {@link BatchLoader} throws it from {@link BatchLoader#next()} as it is (not as a
 * {@link BatchProducerException}), so the caller can tell bad data from a failure of the loader itself.
 */
public class SampleReadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A sample that could not be read: {@code message} names the file and the sample, {@code cause} says why. */
    public SampleReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
