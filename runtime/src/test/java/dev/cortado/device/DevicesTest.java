package dev.cortado.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.Backend;
import dev.cortado.tensor.MemoryOnlyBackend;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DevicesTest {
    private static final Device OPENCL_0 = new Device(DeviceKind.OPENCL, 0);
    private static final Device OPENCL_1 = new Device(DeviceKind.OPENCL, 1);
    private static final Device CUDA_0 = new Device(DeviceKind.CUDA, 0);

    /** A provider whose probe answers what the test says and whose backends hold only memory. */
    private static final class FakeProvider implements BackendProvider {
        private final DeviceKind kind;
        private final Supplier<List<DeviceInfo>> probe;
        private int probes;

        FakeProvider(DeviceKind kind, Supplier<List<DeviceInfo>> probe) {
            this.kind = kind;
            this.probe = probe;
        }

        FakeProvider(DeviceKind kind, DeviceInfo... devices) {
            this(kind, () -> List.of(devices));
        }

        @Override
        public DeviceKind kind() {
            return kind;
        }

        @Override
        public List<DeviceInfo> probe() {
            probes++;
            return probe.get();
        }

        @Override
        public Backend open(Device device) {
            DeviceInfo info = probe.get().stream().filter(i -> i.device().equals(device)).findFirst().orElseThrow();
            return new MemoryOnlyBackend(info);
        }
    }

    private static DeviceInfo gpu(Device device) {
        return DeviceInfo.available(device, "Fake GPU " + device, true, 1L << 34, 80, Map.of());
    }

    private static DeviceInfo cpuOpenCl(Device device) {
        return DeviceInfo.available(device, "Portable Computing Language", false, 1L << 33, 2, Map.of());
    }

    private static final DeviceInfo CPU = DeviceInfo.available(Device.CPU, "Fake CPU", false, 0, 2, Map.of());
    private static final DeviceInfo NO_CUDA = DeviceInfo.unavailable(CUDA_0, "cuda",
            "libcuda.so.1 not found: no NVIDIA driver");

    private static FakeProvider cpu() {
        return new FakeProvider(DeviceKind.CPU, CPU);
    }

    private static Devices devices(BackendProvider... providers) {
        return new Devices(List.of(providers));
    }

    @Test
    void listsEveryDeviceInKindOrderWhateverTheProviderOrder() {
        Devices d = devices(new FakeProvider(DeviceKind.CUDA, NO_CUDA),
                new FakeProvider(DeviceKind.OPENCL, cpuOpenCl(OPENCL_0)), cpu());
        assertEquals(List.of(Device.CPU, OPENCL_0, CUDA_0), d.list().stream().map(DeviceInfo::device).toList());
    }

    @Test
    void bestPrefersCuda() {
        Devices d = devices(cpu(), new FakeProvider(DeviceKind.OPENCL, gpu(OPENCL_0)),
                new FakeProvider(DeviceKind.CUDA, gpu(CUDA_0)));
        assertEquals(CUDA_0, d.best().device());
    }

    @Test
    void bestTakesAnOpenClAcceleratorWhenCudaIsUnavailable() {
        Devices d = devices(cpu(), new FakeProvider(DeviceKind.OPENCL, cpuOpenCl(OPENCL_0), gpu(OPENCL_1)),
                new FakeProvider(DeviceKind.CUDA, NO_CUDA));
        assertEquals(OPENCL_1, d.best().device(), "the first OpenCL accelerator, not the OpenCL CPU device");
    }

    @Test
    void bestNeverPicksAnOpenClCpuDeviceAndSaysWhy() {
        Devices d = devices(cpu(), new FakeProvider(DeviceKind.OPENCL, cpuOpenCl(OPENCL_0)),
                new FakeProvider(DeviceKind.CUDA, NO_CUDA));
        DeviceSelection best = d.best();
        assertEquals(Device.CPU, best.device());
        assertTrue(best.why().contains("libcuda.so.1 not found"), best.why());
        assertTrue(best.why().contains("opencl:0: a CPU device, used only when asked for"), best.why());
    }

    @Test
    void anOpenClCpuDeviceIsUsedWhenRequested() {
        Devices d = devices(cpu(), new FakeProvider(DeviceKind.OPENCL, cpuOpenCl(OPENCL_0)));
        assertEquals(OPENCL_0, d.select("opencl:0", Map.of()).device());
        assertEquals(OPENCL_0, d.select(null, Map.of(Devices.ENV_VARIABLE, "opencl")).device());
    }

    @Test
    void theEnvironmentChoosesWhenNothingIsRequested() {
        Devices d = devices(cpu(), new FakeProvider(DeviceKind.CUDA, gpu(CUDA_0)));
        DeviceSelection fromEnv = d.select(null, Map.of(Devices.ENV_VARIABLE, " cpu "));
        assertEquals(Device.CPU, fromEnv.device());
        assertTrue(fromEnv.why().contains(Devices.ENV_VARIABLE), fromEnv.why());
        assertEquals(Device.CPU, d.select("  ", Map.of(Devices.ENV_VARIABLE, "cpu")).device(),
                "a blank request counts as none");
        assertEquals(CUDA_0, d.select(null, Map.of(Devices.ENV_VARIABLE, "")).device(), "a blank variable too");
        assertEquals(CUDA_0, d.select(null, Map.of()).device());
    }

    @Test
    void anExplicitRequestBeatsTheEnvironment() {
        Devices d = devices(cpu(), new FakeProvider(DeviceKind.CUDA, gpu(CUDA_0)));
        DeviceSelection chosen = d.select("cpu", Map.of(Devices.ENV_VARIABLE, "cuda:0"));
        assertEquals(Device.CPU, chosen.device());
        assertTrue(chosen.why().contains("--device"), chosen.why());
    }

    @Test
    void anUnknownDeviceIsRejectedWithTheListOfDevices() {
        Devices d = devices(cpu(), new FakeProvider(DeviceKind.CUDA, NO_CUDA));
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
                () -> d.select("opencl:2", Map.of()));
        assertTrue(e.getMessage().contains("opencl:2"), e.getMessage());
        assertTrue(e.getMessage().contains("cpu (available)"), e.getMessage());
        assertTrue(e.getMessage().contains("cuda:0 (unavailable: libcuda.so.1 not found"), e.getMessage());
    }

    @Test
    void anUnavailableRequestedDeviceGivesItsReason() {
        Devices d = devices(cpu(), new FakeProvider(DeviceKind.CUDA, NO_CUDA));
        List<DeviceUnavailableException> errors = List.of(
                assertThrows(DeviceUnavailableException.class, () -> d.select("cuda", Map.of())),
                assertThrows(DeviceUnavailableException.class,
                        () -> d.select(null, Map.of(Devices.ENV_VARIABLE, "cuda:0"))));
        for (DeviceUnavailableException e : errors) {
            assertTrue(e.getMessage().contains("cuda:0") && e.getMessage().contains("no NVIDIA driver"),
                    e.getMessage());
        }
    }

    @Test
    void aMalformedRequestNamesTheString() {
        Devices d = devices(cpu());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.select("gpu0", Map.of()));
        assertTrue(e.getMessage().contains("'gpu0'"), e.getMessage());
    }

    @Test
    void aProbeThatThrowsBecomesAnUnavailableDevice() {
        Devices d = devices(cpu(),
                new FakeProvider(DeviceKind.CUDA, () -> {
                    throw new UnsatisfiedLinkError("Error while loading native library JCudaDriver");
                }),
                new FakeProvider(DeviceKind.OPENCL, () -> {
                    throw new IllegalStateException("CL_PLATFORM_NOT_FOUND_KHR");
                }));
        List<DeviceInfo> all = d.list();
        assertEquals(3, all.size());
        DeviceInfo cuda = all.get(2);
        assertEquals(CUDA_0, cuda.device());
        assertFalse(cuda.isAvailable());
        assertTrue(cuda.reason().contains("UnsatisfiedLinkError") && cuda.reason().contains("JCudaDriver"),
                cuda.reason());
        assertTrue(all.get(1).reason().contains("CL_PLATFORM_NOT_FOUND_KHR"), all.get(1).reason());
        assertEquals(Device.CPU, d.best().device());
    }

    @Test
    void aProviderWithoutDevicesIsListedAsUnavailable() {
        Devices d = devices(cpu(), new FakeProvider(DeviceKind.OPENCL));
        DeviceInfo opencl = d.list().get(1);
        assertEquals(OPENCL_0, opencl.device());
        assertEquals("no opencl device found", opencl.reason());
    }

    @Test
    void aDeviceAskedForByNameProbesOnlyItsOwnKind() {
        FakeProvider opencl = new FakeProvider(DeviceKind.OPENCL, gpu(OPENCL_0));
        FakeProvider cuda = new FakeProvider(DeviceKind.CUDA, gpu(CUDA_0));
        Devices d = devices(cpu(), opencl, cuda);
        assertEquals(Device.CPU, d.select("cpu", Map.of()).device());
        d.open(Device.CPU).close();
        assertEquals(0, opencl.probes, "OpenCL probed for a CPU request");
        assertEquals(0, cuda.probes, "CUDA probed for a CPU request");
        d.select("opencl:0", Map.of());
        assertEquals(1, opencl.probes);
        assertEquals(0, cuda.probes, "CUDA probed for an OpenCL request");
    }

    @Test
    void probesEachProviderOnce() {
        FakeProvider cuda = new FakeProvider(DeviceKind.CUDA, gpu(CUDA_0));
        Devices d = devices(cpu(), cuda);
        d.list();
        d.best();
        d.select("cuda", Map.of());
        assertEquals(1, cuda.probes);
    }

    @Test
    void withoutAnyAvailableDeviceBestSaysWhatToAdd() {
        Devices d = devices(new FakeProvider(DeviceKind.CUDA, NO_CUDA));
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class, d::best);
        assertTrue(e.getMessage().contains("cortado-cpu"), e.getMessage());
    }

    @Test
    void opensAvailableDevicesThroughTheirProvider() {
        Devices d = devices(cpu(), new FakeProvider(DeviceKind.OPENCL, cpuOpenCl(OPENCL_0), gpu(OPENCL_1)),
                new FakeProvider(DeviceKind.CUDA, NO_CUDA));
        try (Backend backend = d.open(OPENCL_1)) {
            assertEquals(OPENCL_1, backend.info().device());
        }
        DeviceUnavailableException unavailable = assertThrows(DeviceUnavailableException.class,
                () -> d.open(CUDA_0));
        assertTrue(unavailable.getMessage().contains("no NVIDIA driver"), unavailable.getMessage());
        DeviceUnavailableException unknown = assertThrows(DeviceUnavailableException.class,
                () -> d.open(new Device(DeviceKind.OPENCL, 5)));
        assertTrue(unknown.getMessage().contains("opencl:5"), unknown.getMessage());
    }

    @Test
    void selectionKeepsTheInfoOfTheChosenDevice() {
        DeviceInfo cuda = gpu(CUDA_0);
        Devices d = devices(cpu(), new FakeProvider(DeviceKind.CUDA, cuda));
        assertSame(cuda, d.select("cuda:0", Map.of()).info());
    }
}
