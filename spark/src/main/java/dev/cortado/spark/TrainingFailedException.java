package dev.cortado.spark;

import dev.cortado.cli.ExitCode;

/** A distributed run that did not complete: why, and the exit code that says which kind of failure it was. */
final class TrainingFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ExitCode exitCode;

    TrainingFailedException(String message, ExitCode exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** {@link ExitCode#RESTARTS} when restarts ran out; the worker's code for a failure it would repeat. */
    ExitCode exitCode() {
        return exitCode;
    }
}
