package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.Backend;
import dev.cortado.device.Device;
import dev.cortado.device.Devices;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SelfTestTest {

    private static Backend cpu() {
        return Devices.system().open(Device.CPU);
    }

    @Test
    void everyOpOfTheCpuMatchesASecondCpuBackend() {
        try (Backend device = cpu(); Backend reference = cpu()) {
            List<SelfTest.Row> rows = SelfTest.run(device, reference);
            assertTrue(rows.size() > 40, "only " + rows.size() + " checks");
            assertEquals(List.of(), rows.stream().filter(r -> !r.passed()).toList());
        }
    }

    @Test
    void aWrongOpAndAThrowingOpFailTheirRowsOnly() {
        try (Backend device = new BrokenBackend(); Backend reference = cpu()) {
            List<SelfTest.Row> rows = SelfTest.run(device, reference);
            List<SelfTest.Row> failed = rows.stream().filter(r -> !r.passed()).toList();
            assertEquals(List.of("affine", "argmax"), failed.stream().map(SelfTest.Row::name).toList());
            assertTrue(failed.get(0).error() > 1e-4 && failed.get(0).error() < 1e-2, failed.get(0).toString());
            assertNull(failed.get(0).failure());
            assertEquals("java.lang.IllegalStateException: CL_INVALID_KERNEL_ARGS", failed.get(1).failure());
            String table = SelftestCommand.table(rows);
            assertTrue(table.contains("argmax"), table);
            String argmaxLine = table.lines().filter(l -> l.startsWith("argmax")).collect(Collectors.joining());
            assertTrue(argmaxLine.contains("FAIL") && argmaxLine.contains("error: java.lang.IllegalStateException"),
                    argmaxLine);
        }
    }

    @Test
    void relativeErrorIsNormwiseAndNaNWhereTheReferenceHasNoneIsInfinite() {
        assertEquals(0, SelfTest.relativeError(new float[] {1, 2}, new float[] {1, 2}));
        assertEquals(0.25, SelfTest.relativeError(new float[] {1, 3}, new float[] {1, 4}), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, SelfTest.relativeError(new float[] {Float.NaN}, new float[] {1}));
        assertEquals(Double.POSITIVE_INFINITY, SelfTest.relativeError(new float[] {1}, new float[] {1, 2}));
        assertFalse(SelfTest.relativeError(new float[] {1e-9f}, new float[] {0}) < 1);
    }
}
