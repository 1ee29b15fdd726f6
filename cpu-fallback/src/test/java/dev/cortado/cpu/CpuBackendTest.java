package dev.cortado.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cortado.backend.Backend;
import dev.cortado.backend.DeviceBuffer;
import dev.cortado.backend.OutOfDeviceMemoryException;
import dev.cortado.cpu.gemm.Sgemm;
import dev.cortado.device.Device;
import dev.cortado.device.DeviceInfo;
import dev.cortado.device.DeviceUnavailableException;
import dev.cortado.device.Devices;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CPU backend's device description, provider and memory. */
class CpuBackendTest {

    @Test
    void describesTheProcessor() throws IOException {
        DeviceInfo info = CpuBackend.describe();
        assertEquals(Device.CPU, info.device());
        assertTrue(info.isAvailable());
        assertFalse(info.accelerator());
        assertEquals(Runtime.getRuntime().maxMemory(), info.memoryBytes());
        assertEquals(Parallel.threads(), info.computeUnits());
        assertEquals(Integer.toString(Parallel.threads()), info.details().get("threads"));
        assertEquals(Sgemm.describe(), info.details().get("gemm"));
        assertEquals("on (jdk.incubator.vector)", info.details().get("vector api"), "the tests run with the module");
        Path cpuinfo = Path.of("/proc/cpuinfo");
        String model = Files.isReadable(cpuinfo) ? Files.readAllLines(cpuinfo).stream()
                .filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .findFirst().orElse(null) : null;
        assertEquals(model != null ? model : System.getProperty("os.arch"), info.name());
    }

    @Test
    void providerOpensTheCpuOnly() {
        CpuBackendProvider provider = new CpuBackendProvider();
        assertEquals(List.of(CpuBackend.describe()), provider.probe());
        try (Backend backend = provider.open(Device.parse("cpu"))) {
            assertInstanceOf(CpuBackend.class, backend);
            assertEquals(Device.CPU, backend.info().device());
        }
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
                () -> provider.open(Device.parse("opencl:0")));
        assertTrue(e.getMessage().contains("opencl:0"), e.getMessage());
    }

    @Test
    void serviceLoaderFindsTheCpu() {
        assertTrue(Devices.system().list().stream().anyMatch(d -> d.device().equals(Device.CPU) && d.isAvailable()));
    }

    @Test
    void buffersHaveExactlyTheRequestedCapacity() {
        try (CpuBackend backend = new CpuBackend()) {
            for (long floats : new long[] {1, 7, 1_000_003}) {
                DeviceBuffer buffer = backend.pool().acquire(floats);
                assertEquals(floats, buffer.capacity());
                assertEquals(floats, ((CpuBuffer) buffer).data().length);
                backend.pool().release(buffer);
            }
        }
    }

    @Test
    void heapExhaustionIsOutOfDeviceMemory() {
        long bytes = 4L * CpuAllocator.MAX_FLOATS;
        assumeTrue(Runtime.getRuntime().maxMemory() < bytes / 2, "the heap could hold the largest array");
        try (CpuBackend backend = new CpuBackend()) {
            OutOfDeviceMemoryException e = assertThrows(OutOfDeviceMemoryException.class,
                    () -> backend.pool().acquire(CpuAllocator.MAX_FLOATS));
            assertInstanceOf(OutOfMemoryError.class, e.getCause().getCause());
            IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                    () -> backend.pool().acquire(CpuAllocator.MAX_FLOATS + 1L));
            assertTrue(tooLarge.getMessage().contains("at most " + CpuAllocator.MAX_FLOATS), tooLarge.getMessage());
        }
    }

    @Test
    void closeEmptiesThePool() {
        CpuBackend backend = new CpuBackend();
        Tensor t = backend.allocate(Shape.of(3, 5));
        t.close();
        assertEquals(1, backend.pool().stats().cachedBuffers());
        backend.close();
        assertEquals(0, backend.pool().stats().cachedBuffers());
    }
}
