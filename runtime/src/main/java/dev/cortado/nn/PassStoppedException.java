package dev.cortado.nn;

/**
 * A forward or backward pass of a {@link Sequential} stopped between two layers because its stop condition held
 * (see {@link Sequential#stopPassesWhen}); the layers after that point did not run, and the outputs and gradients
 * of the pass are incomplete.
 */
public class PassStoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PassStoppedException(String message) {
        super(message);
    }
}
