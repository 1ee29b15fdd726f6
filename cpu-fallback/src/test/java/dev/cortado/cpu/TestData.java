package dev.cortado.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import dev.cortado.backend.Backend;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.SplittableRandom;

/** Random inputs, NaN-poisoned outputs and tolerant comparisons for the CPU backend's tests. */
final class TestData {
    private TestData() {
    }

    /** Uniform floats in [low, high), never all zero. */
    static float[] uniform(SplittableRandom random, int n, float low, float high) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = low + (high - low) * (float) random.nextDouble();
        }
        return values;
    }

    /** Whole numbers in [0, bound), as floats: inputs with many ties. */
    static float[] integers(SplittableRandom random, int n, int bound) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextInt(bound);
        }
        return values;
    }

    static Tensor upload(Backend backend, float[] values) {
        return backend.upload(Shape.of(values.length), values);
    }

    /** A tensor whose every element is NaN, so an element the op forgets to write fails the comparison. */
    static Tensor poisoned(Backend backend, Shape shape) {
        Tensor t = backend.allocate(shape);
        backend.fill(t, Float.NaN);
        return t;
    }

    static Tensor poisoned(Backend backend, long n) {
        return poisoned(backend, Shape.of(Math.toIntExact(n)));
    }

    /** Asserts {@code |actual - expected| <= tolerance * max(1, |expected|)} element by element. */
    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " elements, expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (!(Math.abs(a - e) <= tolerance * Math.max(1, Math.abs(e))) && !(Double.isNaN(e) && Double.isNaN(a))
                    && e != a) {
                fail(what + ": element " + i + " is " + a + ", expected " + e + " (tolerance " + tolerance + ")");
            }
        }
    }
}
