package dev.cortado.model;

/** A model spec that cannot be read or does not describe a valid model; the message says where and why. */
public class ModelSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ModelSpecException(String message) {
        super(message);
    }

    public ModelSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
