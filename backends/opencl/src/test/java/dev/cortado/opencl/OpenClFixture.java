package dev.cortado.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cortado.kernel.GemmChoice;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * One OpenCL backend per test class (skipped when opencl:0 is unavailable), with helpers that place every tensor
 * at a random offset inside a larger buffer filled with NaN, so kernels that ignore offsets fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OpenClFixture {
    protected OpenClBackend backend;
    protected final Random random = new Random(20261129);
    private Path cache;

    private String unavailable;

    /** Opens the device once; when it is missing, every test is aborted (reported as skipped) with the reason. */
    @BeforeAll
    void openBackend() throws IOException {
        ProbedDevice device = OpenClTestDevice.first();
        if (!device.info().isAvailable()) {
            unavailable = device.info().reason();
            System.out.println("skipping " + getClass().getSimpleName() + ": " + OpenClTestDevice.DEVICE
                    + " is unavailable: " + unavailable);
            return;
        }
        cache = Files.createTempDirectory("cortado-cl-cache");
        backend = OpenClTestDevice.open(device, cache, gemmChoice());
    }

    @BeforeEach
    void requireBackend() {
        if (backend == null) {
            Assumptions.abort(OpenClTestDevice.DEVICE + " is unavailable: " + unavailable);
        }
    }

    /** The GEMM engine the backend under test uses. */
    protected GemmChoice gemmChoice() {
        return GemmChoice.TILED;
    }

    @AfterAll
    void closeBackend() {
        if (backend != null) {
            backend.close();
            assertEquals(java.util.Map.of(), backend.liveObjects(), "OpenCL objects left alive after close()");
        }
    }

    /** Uniform floats in [-1, 1). */
    protected float[] randoms(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }

    /** A view holding {@code data}, starting at a random offset of a larger buffer whose rest is NaN. */
    protected Tensor tensor(Shape shape, float[] data) {
        assertEquals(shape.size(), data.length, "test data does not match " + shape);
        int pad = 1 + random.nextInt(7);
        float[] padded = new float[data.length + pad + 3];
        Arrays.fill(padded, Float.NaN);
        System.arraycopy(data, 0, padded, pad, data.length);
        Tensor whole = backend.upload(Shape.of(padded.length), padded);
        return whole.slice(pad, pad + data.length).reshape(shape);
    }

    protected static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) ? !Double.isNaN(a) : !(Math.abs(e - a) <= tolerance * Math.max(1, Math.abs(e)))) {
                fail(what + ": element " + i + " expected " + e + " but was " + a + " (tolerance " + tolerance + ")");
            }
        }
    }
}
