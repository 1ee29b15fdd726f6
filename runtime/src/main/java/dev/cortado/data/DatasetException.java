package dev.cortado.data;

/**
 * A dataset could not be loaded: a file is missing, unreadable or malformed, or files disagree with each other.
 * The message names the file (or directory) and exactly what is wrong with it.
 */
public class DatasetException extends Exception {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
