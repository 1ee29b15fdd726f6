package dev.cortado.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.cortado.device.Device;
import dev.cortado.device.DeviceKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class BackendSuiteSupportTest {

    /** The suite on a device no provider offers (the runtime alone has no backends at all). */
    static class MissingDeviceSuite extends BackendConformanceSuite {
        @Override
        protected Device device() {
            return new Device(DeviceKind.CUDA, 7);
        }
    }

    @Test
    void aMissingDeviceAbortsEveryTestWithItsReasonAndSaysSo() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        EngineExecutionResults results;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(MissingDeviceSuite.class))
                    .execute();
        } finally {
            System.setOut(stdout);
        }
        results.containerEvents().assertStatistics(stats -> stats.failed(0));
        results.testEvents().assertStatistics(stats -> stats.succeeded(0).failed(0));
        List<Event> aborted = results.testEvents().aborted().list();
        assertTrue(aborted.size() > 300, "every test (and parameter set) is aborted, got " + aborted.size());
        for (Event event : aborted) {
            Throwable why = event.getRequiredPayload(TestExecutionResult.class)
                    .getThrowable().orElseThrow();
            assertTrue(why instanceof TestAbortedException && why.getMessage().contains("no device cuda:7"),
                    event.getTestDescriptor().getDisplayName() + ": " + why);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, output.lines().filter(line -> line.startsWith("SKIPPED MissingDeviceSuite on cuda:7: "))
                .count(), output);
    }

    @Test
    void comparisonNamesTheWorstElement() {
        MissingDeviceSuite suite = new MissingDeviceSuite();
        float[] expected = {1f, 2f, 3f, 4f, 5f, 6f};
        assertDoesNotThrow(() -> suite.assertClose("close", expected, new float[] {1f, 2f, 3.00001f, 4f, 5f, 6f},
                Tolerance.ELEMENTWISE));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> suite.assertClose("op",
                expected, new float[] {1f, 2.1f, Float.NaN, 4f, 5.5f, 6f}, Tolerance.ELEMENTWISE));
        String message = e.getMessage();
        assertTrue(message.startsWith("op on cuda:7: 3 of 6 elements differ; worst at index 2: expected 3.0, "
                + "actual NaN"), message);
        assertTrue(message.contains("near it expected [0: 1.0, 1: 2.0, 2: 3.0, 3: 4.0, 4: 5.0]"), message);
    }

    @Test
    void exactComparisonAcceptsOnlyEqualValuesAndMatchingNaN() {
        MissingDeviceSuite suite = new MissingDeviceSuite();
        assertDoesNotThrow(() -> suite.assertClose("nan", new float[] {Float.NaN, 0f}, new float[] {Float.NaN, 0f},
                Tolerance.EXACT));
        assertThrows(AssertionFailedError.class, () -> suite.assertClose("ulp", new float[] {1f},
                new float[] {Math.nextUp(1f)}, Tolerance.EXACT));
        assertThrows(AssertionFailedError.class, () -> suite.assertClose("length", new float[2], new float[3],
                Tolerance.EXACT));
    }
}
