package dev.cortado.backend;

/**
 * Activation functions for {@link Backend#activationForward} and {@link Backend#activationBackward}. The
 * parameter {@code alpha} is the negative slope of {@link #LEAKY_RELU} and ignored by the others. Every function
 * maps NaN to NaN, as PyTorch's do, so that a diverging run shows a NaN loss.
 */
public enum Activation {
    /** max(x, 0); gradient 1 where x > 0, else 0. */
    RELU(true),
    /** x where x > 0, else alpha*x; gradient 1 or alpha. */
    LEAKY_RELU(true),
    /** 1/(1+e^-x); gradient y(1-y). */
    SIGMOID(false),
    /** tanh(x); gradient 1-y^2. */
    TANH(false),
    /**
     * GELU in its exact form, {@code x * Phi(x) = x/2 * erfc(-x/sqrt(2))} with Phi the standard normal distribution
     * function (PyTorch's {@code nn.GELU()}, not its tanh approximation); gradient {@code Phi(x) + x * phi(x)}.
     */
    GELU(true),
    /** SiLU (swish), {@code x * sigmoid(x)}; gradient {@code s * (1 + x * (1 - s))} with {@code s = sigmoid(x)}. */
    SILU(true);

    private final boolean gradientFromInput;

    Activation(boolean gradientFromInput) {
        this.gradientFromInput = gradientFromInput;
    }

    /** True when the gradient is computed from the input x, false when from the output y. */
    public boolean gradientFromInput() {
        return gradientFromInput;
    }
}
