package dev.cortado.kernel;

/**
 * A kernel file failed to build for a device (OpenCL program, CUDA module); the message names the file, device
 * and options and carries the compiler's log.
 */
public class KernelBuildException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failed build described by {@code message}, caused by the device API's error {@code cause}. */
    public KernelBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
