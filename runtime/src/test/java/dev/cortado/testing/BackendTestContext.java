package dev.cortado.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.backend.Backend;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.function.Executable;

/**
 * What a backend test may use: the open backend, this test's random generator, and tensors that are checked for
 * stray writes and closed when the test ends. {@link BackendSuiteSupport} implements it; the conformance
 * interfaces build on it.
 */
public interface BackendTestContext {

    /** The backend under test, open for the whole test class. */
    Backend backend();

    /** This test's generator, seeded afresh for every test; its seed is printed when the test fails. */
    Random random();

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

    /**
     * A tensor holding {@code data}: a view at a random offset (sometimes 0) inside a larger buffer, whose guard
     * elements before and after the view are checked when the test ends, so every op is tested on views and any
     * write outside a tensor fails the test. Closed after the test.
     */
    Tensor tensor(Shape shape, float[] data);

    /** {@link #tensor(Shape, float[])}, one-dimensional unless {@code dims} are given. */
    default Tensor tensor(float[] data, int... dims) {
        return tensor(dims.length == 0 ? Shape.of(data.length) : Shape.of(dims), data);
    }

    /** A tensor of the given shape filled with NaN, so any element an op fails to write shows. */
    default Tensor poisoned(int... dims) {
        Shape shape = Shape.of(dims);
        float[] nan = new float[Math.toIntExact(shape.size())];
        Arrays.fill(nan, Float.NaN);
        return tensor(shape, nan);
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
