package dev.cortado.backend;

/**
 * Inverted dropout with a mask drawn from the counter-based generator, so the same seed gives the same mask on
 * every device and backward regenerates the mask instead of storing it. Element {@code i} is kept when
 * {@code Philox.uniform(seed, stream, i) >= p}; kept elements are scaled by {@code 1/(1-p)}.
 *
 * @param p probability of dropping an element, in [0, 1)
 * @param seed the run's seed
 * @param stream distinguishes draws: a different value per layer and per step
 */
public record DropoutSpec(float p, long seed, long stream) {

    public DropoutSpec {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
    }

    public float scale() {
        return 1f / (1f - p);
    }
}
