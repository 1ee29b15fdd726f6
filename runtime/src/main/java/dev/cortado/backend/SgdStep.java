package dev.cortado.backend;

/**
 * One SGD update with PyTorch's semantics (dampening 0):
 * {@code g = grad + weightDecay*p; v = momentum*v + g; g = nesterov ? g + momentum*v : v; p -= lr*g}.
 * With momentum 0 the velocity is neither read nor written and may be null.
 */
public record SgdStep(float lr, float momentum, float weightDecay, boolean nesterov) {

    /** Rejects a learning rate or weight decay that is negative or not finite, and a momentum outside [0, 1). */
    public SgdStep {
        StepChecks.rate("SGD", "learning rate", lr);
        StepChecks.rate("SGD", "weight decay", weightDecay);
        StepChecks.fraction("SGD", "momentum", momentum);
        if (nesterov && momentum == 0f) {
            throw new IllegalArgumentException("SGD: Nesterov momentum needs a momentum above 0");
        }
    }
}
