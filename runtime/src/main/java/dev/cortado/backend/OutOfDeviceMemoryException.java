package dev.cortado.backend;

/** A device allocation failed for lack of memory, even after the buffer pool was emptied. */
public class OutOfDeviceMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutOfDeviceMemoryException(String message) {
        super(message);
    }

    public OutOfDeviceMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
