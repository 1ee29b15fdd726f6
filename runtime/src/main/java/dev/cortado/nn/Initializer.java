package dev.cortado.nn;

import dev.cortado.backend.Backend;
import dev.cortado.random.Philox;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/**
 * Draws initial parameter values on the host from the Philox generator and uploads them, so a seed gives the
 * same initial model on every device. Each tensor drawn gets its own stream, in the order layers ask.
 */
public final class Initializer {
    /** Streams below this are left for dropout and other per-step draws; parameters draw from here on. */
    public static final long FIRST_STREAM = 1L << 40;

    private final long seed;
    private long nextStream = FIRST_STREAM;
    private long nextLayerId;

    public Initializer(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /**
     * A fresh id, 0, 1, 2... in the order layers ask, for a layer that draws new random numbers at every step
     * (dropout): the layer builds its streams from it, below {@link #FIRST_STREAM}, so they never meet the
     * parameters' streams or another layer's.
     */
    public long nextLayerId() {
        return nextLayerId++;
    }

    /**
     * A tensor uniform in {@code [-bound, bound)}: with {@code bound = 1/sqrt(fanIn)} this is PyTorch's default
     * for the weights and biases of Linear and Conv2d (Kaiming uniform with a = sqrt(5)).
     */
    public Tensor uniform(Backend backend, Shape shape, float bound) {
        float[] values = new float[Math.toIntExact(shape.size())];
        Philox.fillUniform(values, seed, nextStream++, -bound, bound);
        return backend.upload(shape, values);
    }
}
