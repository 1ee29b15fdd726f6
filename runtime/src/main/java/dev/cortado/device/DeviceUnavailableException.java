package dev.cortado.device;

/** A device was asked for by name but does not exist or cannot be used; the message says why. */
public class DeviceUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeviceUnavailableException(String message) {
        super(message);
    }

    public DeviceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
