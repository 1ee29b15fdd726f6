package dev.cortado.opencl;

/** An OpenCL program failed to build; the message names the file, device and options and carries the build log. */
public class KernelBuildException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KernelBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
