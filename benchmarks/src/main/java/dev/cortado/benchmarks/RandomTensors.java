package dev.cortado.benchmarks;

import dev.cortado.backend.Backend;
import dev.cortado.random.Philox;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/** The benchmarks' inputs: uniform values in [-1, 1), the same for a stream on every run. */
final class RandomTensors {
    private static final long SEED = 7;

    private RandomTensors() {
    }

    /** A tensor of the shape on the backend, filled from the stream. */
    static Tensor uniform(Backend backend, Shape shape, long stream) {
        float[] values = new float[Math.toIntExact(shape.size())];
        Philox.fillUniform(values, SEED, stream, -1f, 1f);
        return backend.upload(shape, values);
    }
}
