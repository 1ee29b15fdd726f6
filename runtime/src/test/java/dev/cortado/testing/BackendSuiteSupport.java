package dev.cortado.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cortado.backend.Backend;
import dev.cortado.device.Device;
import dev.cortado.device.DeviceUnavailableException;
import dev.cortado.device.Devices;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The base of every suite that runs per backend. A subclass names its {@link #device()}; the base opens it once
 * per class through {@link Devices#system()} and closes it after the last test. When the device is not present
 * the class prints {@code SKIPPED <suite> on <device>: <reason>} and every test is aborted with the reason, so a
 * missing device shows as skipped in reports and logs, never as passed.
 *
 * <p>Every test gets a fresh {@link Random}. Its seed is printed when the test fails; setting the system property
 * {@value #SEED_PROPERTY} (e.g. {@code mvn test -Dcortado.seed=42}) replays it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendSuiteSupport implements BackendTestContext {

    /** The system property that fixes every test's seed, to replay a failure. */
    public static final String SEED_PROPERTY = "cortado.seed";

    /** Elements shown around the worst mismatch in a failure message. */
    private static final int CONTEXT = 2;

    /** Guard elements before a test tensor: 0 keeps it at the start of its buffer, the others misalign it. */
    private static final int[] LEADING_GUARDS = {0, 1, 3, 17};

    /** Guard elements after a test tensor. */
    private static final int TRAILING_GUARD = 16;

    /** What guard elements hold; an op that writes outside its tensors changes some. */
    private static final float GUARD_VALUE = -7777.5f;

    /** A test tensor's buffer: {@code lead} guards, the tensor's {@code size} elements, then the trailing guards. */
    private record Guarded(Tensor buffer, int lead, int size, Shape shape) {
    }

    private Backend backend;
    private String unavailableReason;
    private long seed;
    private Random random;
    private final List<Guarded> tensors = new ArrayList<>();

    @RegisterExtension
    final TestWatcher seedReporter = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            System.out.println("FAILED " + BackendSuiteSupport.this.getClass().getSimpleName() + "."
                    + context.getRequiredTestMethod().getName() + " " + context.getDisplayName() + " on " + device()
                    + " with seed " + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")");
        }
    };

    /** The device this suite tests. */
    protected abstract Device device();

    /**
     * Opens the backend under test. By default the device as {@link Devices#system()} opens it; a backend module
     * overrides this to test one of its configurations (another GEMM engine, say).
     *
     * @throws DeviceUnavailableException when the device is not present, which skips the suite with the reason
     */
    protected Backend open(Device device) {
        return Devices.system().open(device);
    }

    @BeforeAll
    final void openBackend() {
        try {
            backend = open(device());
        } catch (DeviceUnavailableException e) {
            unavailableReason = e.getMessage();
            System.out.println("SKIPPED " + getClass().getSimpleName() + " on " + device() + ": "
                    + unavailableReason);
        }
    }

    @BeforeEach
    final void requireBackendAndSeed() {
        if (backend == null) {
            Assumptions.abort(device() + " is unavailable: " + unavailableReason);
        }
        String fixed = System.getProperty(SEED_PROPERTY);
        seed = fixed != null ? Long.parseLong(fixed.trim()) : ThreadLocalRandom.current().nextLong();
        random = new Random(seed);
    }

    @AfterEach
    final void checkGuardsAndCloseTensors() {
        try {
            for (Guarded g : tensors) {
                checkGuards(g);
            }
        } finally {
            tensors.forEach(g -> g.buffer().close());
            tensors.clear();
        }
    }

    private void checkGuards(Guarded g) {
        float[] all = read(g.buffer());
        for (int i = 0; i < all.length; i++) {
            boolean guard = i < g.lead() || i >= g.lead() + g.size();
            if (guard && Float.compare(all[i], GUARD_VALUE) != 0) {
                String where = i < g.lead() ? "element " + (g.lead() - i) + " before the start"
                        : "element " + (i - g.lead() - g.size() + 1) + " past the end";
                fail("an op wrote outside a tensor: " + where + " of the " + g.shape() + " tensor at offset "
                        + g.lead() + " changed from " + GUARD_VALUE + " to " + all[i] + " on " + device() + " (seed "
                        + seed + ")");
            }
        }
    }

    @AfterAll
    final void closeBackend() {
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public Random random() {
        return random;
    }

    @Override
    public Tensor tensor(Shape shape, float[] data) {
        int size = Math.toIntExact(shape.size());
        if (data.length != size) {
            throw new IllegalArgumentException(data.length + " floats for shape " + shape);
        }
        int lead = LEADING_GUARDS[random.nextInt(LEADING_GUARDS.length)];
        float[] host = new float[lead + size + TRAILING_GUARD];
        Arrays.fill(host, GUARD_VALUE);
        System.arraycopy(data, 0, host, lead, size);
        Tensor buffer = backend.upload(Shape.of(host.length), host);
        tensors.add(new Guarded(buffer, lead, size, shape));
        return buffer.slice(lead, lead + size).reshape(shape);
    }

    @Override
    public void assertClose(String what, float[] expected, float[] actual, Tolerance tolerance) {
        assertEquals(expected.length, actual.length, what + ": number of elements");
        int bad = 0;
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            if (tolerance.accepts(expected[i], actual[i])) {
                continue;
            }
            bad++;
            double excess = Math.abs((double) actual[i] - expected[i])
                    / Math.max(tolerance.allowance(expected[i]), Double.MIN_NORMAL);
            if (Double.isNaN(excess)) {
                excess = Double.POSITIVE_INFINITY;
            }
            if (worst < 0 || excess > worstExcess) {
                worst = i;
                worstExcess = excess;
            }
        }
        if (bad > 0) {
            fail(what + " on " + device() + ": " + bad + " of " + expected.length + " elements differ; worst at index "
                    + worst + ": expected " + expected[worst] + ", actual " + actual[worst] + " (allowed +-"
                    + (float) tolerance.allowance(expected[worst]) + "); near it expected "
                    + window(expected, worst) + ", actual " + window(actual, worst) + " (seed " + seed + ")");
        }
    }

    private static String window(float[] values, int center) {
        StringBuilder text = new StringBuilder("[");
        int from = Math.max(0, center - CONTEXT);
        int to = Math.min(values.length, center + CONTEXT + 1);
        for (int i = from; i < to; i++) {
            text.append(i == from ? "" : ", ").append(i).append(": ").append(values[i]);
        }
        return text.append(']').toString();
    }
}
