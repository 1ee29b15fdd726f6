package dev.cortado.backend;

/**
 * One SGD update with PyTorch's semantics (dampening 0):
 * {@code g = grad + weightDecay*p; v = momentum*v + g; g = nesterov ? g + momentum*v : v; p -= lr*g}.
 * With momentum 0 the velocity is neither read nor written and may be null.
 */
public record SgdStep(float lr, float momentum, float weightDecay, boolean nesterov) {
}
