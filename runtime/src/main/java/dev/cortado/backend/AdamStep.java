package dev.cortado.backend;

/**
 * One Adam or AdamW update with PyTorch's semantics, at 1-based step {@code step}:
 * Adam adds {@code weightDecay*p} to the gradient; AdamW ({@code decoupled}) instead multiplies p by
 * {@code 1 - lr*weightDecay}. Then {@code m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g;
 * p -= lr * (m/(1-b1^step)) / (sqrt(v/(1-b2^step)) + eps)}.
 */
public record AdamStep(float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled,
                       long step) {

    /**
     * Rejects a learning rate, weight decay or epsilon that is negative or not finite, betas outside [0, 1), and a
     * step below 1.
     */
    public AdamStep {
        StepChecks.rate("Adam", "learning rate", lr);
        StepChecks.rate("Adam", "weight decay", weightDecay);
        StepChecks.fraction("Adam", "beta1", beta1);
        StepChecks.fraction("Adam", "beta2", beta2);
        StepChecks.rate("Adam", "eps", eps);
        if (step < 1) {
            throw new IllegalArgumentException("Adam steps count from 1, got " + step);
        }
    }

    /** 1 - beta1^step. */
    public float biasCorrection1() {
        return (float) (1 - Math.pow(beta1, step));
    }

    /** 1 - beta2^step. */
    public float biasCorrection2() {
        return (float) (1 - Math.pow(beta2, step));
    }
}
