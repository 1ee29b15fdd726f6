package dev.cortado.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.backend.Backend;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.function.Executable;

/**
 * What a backend test may use: the open backend, this test's random generator and tensor helpers that are
 * closed when the test ends. {@link BackendSuiteSupport} implements it; the conformance interfaces build on it.
 */
public interface BackendTestContext {

    /** The backend under test, open for the whole test class. */
    Backend backend();

    /** This test's generator, seeded afresh for every test; its seed is printed when the test fails. */
    Random random();

    /** Registers a tensor to be closed after the test and returns it. */
    Tensor track(Tensor tensor);

    /** Uniform values in [-1, 1) with magnitude at least 1e-3, so that none is (close to) zero. */
    default float[] values(int n) {
        return values(n, -1f, 1f);
    }

    /** Uniform values in [low, high), redrawn while their magnitude is below 1e-3. */
    default float[] values(int n, float low, float high) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            do {
                v[i] = low + (high - low) * random().nextFloat();
            } while (Math.abs(v[i]) < 1e-3f);
        }
        return v;
    }

    /** A tracked tensor holding {@code data}, one-dimensional unless {@code dims} are given. */
    default Tensor tensor(float[] data, int... dims) {
        Shape shape = dims.length == 0 ? Shape.of(data.length) : Shape.of(dims);
        return track(backend().upload(shape, data));
    }

    /** A tracked tensor of the given shape filled with NaN, so any element an op fails to write shows. */
    default Tensor poisoned(int... dims) {
        Shape shape = Shape.of(dims);
        float[] nan = new float[Math.toIntExact(shape.size())];
        Arrays.fill(nan, Float.NaN);
        return track(backend().upload(shape, nan));
    }

    /** The tensor's contents, after every pending op. */
    default float[] read(Tensor t) {
        return t.toArray();
    }

    /**
     * Asserts every element is within the tolerance of the reference; the failure message counts the bad
     * elements and gives the worst one's index, expected and actual values.
     */
    void assertClose(String what, float[] expected, float[] actual, Tolerance tolerance);

    /** {@link #assertClose} on a tensor's contents. */
    default void assertClose(String what, float[] expected, Tensor actual, Tolerance tolerance) {
        assertClose(what, expected, read(actual), tolerance);
    }

    /** Asserts that a call with mismatched sizes throws {@link IllegalArgumentException}, as Backend promises. */
    default void assertRejects(String what, Executable call) {
        assertThrows(IllegalArgumentException.class, call, what + " must throw IllegalArgumentException");
    }
}
