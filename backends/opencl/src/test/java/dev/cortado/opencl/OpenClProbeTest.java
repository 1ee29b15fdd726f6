package dev.cortado.opencl;

import static org.jocl.CL.CL_DEVICE_NOT_FOUND;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_INVALID_PLATFORM;
import static org.jocl.CL.CL_PLATFORM_NOT_FOUND_KHR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.device.Device;
import dev.cortado.device.DeviceInfo;
import dev.cortado.device.DeviceKind;
import dev.cortado.device.Devices;
import dev.cortado.kernel.GemmChoice;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jocl.CLException;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.junit.jupiter.api.Test;

/**
 * The probe never throws and turns every failure of the OpenCL stack into a reason. Failures a machine cannot be
 * made to show on demand come from a fake inventory; the real probe runs too.
 */
class OpenClProbeTest {

    /** A scripted inventory: the platforms, and per platform a function giving its devices or throwing. */
    private record FakeInventory(List<cl_platform_id> platforms,
                                 Function<cl_platform_id, List<cl_device_id>> devices,
                                 Function<cl_device_id, ClDevice> describe) implements ClInventory {
        @Override
        public List<cl_device_id> devices(cl_platform_id platform) {
            return devices.apply(platform);
        }

        @Override
        public ClDevice describe(cl_platform_id platform, cl_device_id device) {
            return describe.apply(device);
        }

        /** JOCL handles compare by native pointer, and every fake's is 0: look them up by identity. */
        @Override
        public String platformName(cl_platform_id platform) {
            for (int i = 0; i < platforms.size(); i++) {
                if (platforms.get(i) == platform) {
                    return "Fake Platform " + i;
                }
            }
            return "Fake Platform ?";
        }
    }

    /** An inventory whose very first call fails as given (an Error or a RuntimeException). */
    private static ClInventory failing(Throwable t) {
        return new ClInventory() {
            @Override
            public List<cl_platform_id> platforms() {
                if (t instanceof Error e) {
                    throw e;
                }
                throw (RuntimeException) t;
            }

            @Override
            public List<cl_device_id> devices(cl_platform_id platform) {
                throw new AssertionError("not reached");
            }

            @Override
            public ClDevice describe(cl_platform_id platform, cl_device_id device) {
                throw new AssertionError("not reached");
            }

            @Override
            public String platformName(cl_platform_id platform) {
                throw new AssertionError("not reached");
            }
        };
    }

    static ClDevice fakeDevice(String name, long type, boolean compiler) {
        return new ClDevice(new cl_platform_id(), new cl_device_id(), name, "Fake Vendor", "Fake Platform", "1.0",
                "OpenCL C 1.2", type, 1L << 30, 1L << 28, 32 << 10, 1024, new long[] {1024, 1024, 64},
                8, compiler, true);
    }

    @Test
    void noIcdLoaderBecomesAReason() {
        DeviceInfo info = single(failing(new UnsatisfiedLinkError("libOpenCL.so.1: cannot open shared object")));
        assertFalse(info.isAvailable());
        assertTrue(info.reason().contains("no OpenCL library"), info.reason());
        assertTrue(info.reason().contains("libOpenCL.so.1"), info.reason());
    }

    @Test
    void anIcdLoaderWithoutPlatformsBecomesAReason() {
        DeviceInfo info = single(failing(new CLException("CL_PLATFORM_NOT_FOUND_KHR", CL_PLATFORM_NOT_FOUND_KHR)));
        assertTrue(info.reason().startsWith("no OpenCL platform"), info.reason());
    }

    @Test
    void aBindingThatFailedBeforeBecomesAReason() {
        DeviceInfo info = single(failing(new NoClassDefFoundError("Could not initialize class org.jocl.CL")));
        assertTrue(info.reason().contains("could not be initialised"), info.reason());
    }

    @Test
    void anyOtherFailureBecomesAReason() {
        DeviceInfo info = single(failing(new IllegalStateException("driver crashed")));
        assertTrue(info.reason().contains("driver crashed"), info.reason());
    }

    @Test
    void platformsWithoutDevicesGiveOneUnavailableEntry() {
        cl_platform_id platform = new cl_platform_id();
        DeviceInfo info = single(new FakeInventory(List.of(platform), p -> {
            throw new CLException("CL_DEVICE_NOT_FOUND", CL_DEVICE_NOT_FOUND);
        }, d -> null));
        assertEquals("no OpenCL device on 1 platform(s)", info.reason());
    }

    @Test
    void devicesAreNumberedAcrossPlatformsAndABrokenPlatformComesLast() {
        cl_platform_id broken = new cl_platform_id();
        cl_platform_id gpus = new cl_platform_id();
        cl_platform_id cpus = new cl_platform_id();
        cl_device_id gpu0 = new cl_device_id();
        cl_device_id gpu1 = new cl_device_id();
        cl_device_id cpu = new cl_device_id();
        cl_device_id noCompiler = new cl_device_id();
        cl_device_id failingDevice = new cl_device_id();
        Map<cl_device_id, ClDevice> described = new IdentityHashMap<>();
        described.put(gpu0, fakeDevice("GPU zero", CL_DEVICE_TYPE_GPU, true));
        described.put(gpu1, fakeDevice("GPU one", CL_DEVICE_TYPE_GPU, true));
        described.put(cpu, fakeDevice("A CPU", CL_DEVICE_TYPE_CPU, true));
        described.put(noCompiler, fakeDevice("No compiler", CL_DEVICE_TYPE_GPU, false));
        ClInventory inventory = new FakeInventory(List.of(broken, gpus, cpus), p -> {
            if (p == broken) {
                throw new CLException("CL_INVALID_PLATFORM", CL_INVALID_PLATFORM);
            }
            return p == gpus ? List.of(gpu0, gpu1) : List.of(cpu, noCompiler, failingDevice);
        }, d -> {
            if (d == failingDevice) {
                throw new CLException("CL_OUT_OF_HOST_MEMORY");
            }
            return described.get(d);
        });
        List<ProbedDevice> probed = OpenClProbe.probe(inventory, GemmChoice.TILED);
        assertEquals(6, probed.size());
        assertEquals("GPU zero", probed.get(0).info().name());
        assertTrue(probed.get(0).info().accelerator());
        assertEquals(new Device(DeviceKind.OPENCL, 1), probed.get(1).info().device());
        assertEquals("A CPU", probed.get(2).info().name());
        assertFalse(probed.get(2).info().accelerator());
        assertTrue(probed.get(2).info().details().get("gemm").contains("(cpu)"), probed.get(2).info().details()
                .toString());
        assertTrue(probed.get(0).info().details().get("gemm").contains("(safe default)"),
                "a GPU of an unknown vendor gets the safe tiles: " + probed.get(0).info().details());
        assertTrue(probed.get(3).info().reason().contains("no OpenCL C compiler"), probed.get(3).info().reason());
        assertNull(probed.get(3).device());
        assertTrue(probed.get(4).info().reason().contains("CL_OUT_OF_HOST_MEMORY"), probed.get(4).info().reason());
        assertEquals(new Device(DeviceKind.OPENCL, 5), probed.get(5).info().device());
        assertTrue(probed.get(5).info().reason().contains("Fake Platform 0")
                && probed.get(5).info().reason().contains("CL_INVALID_PLATFORM"), probed.get(5).info().reason());
    }

    @Test
    void theRealProbeNeverThrowsAndTheProviderIsFoundByServiceLoader() {
        List<DeviceInfo> opencl = Devices.system().list().stream()
                .filter(i -> i.device().kind() == DeviceKind.OPENCL).toList();
        assertFalse(opencl.isEmpty(), "the OpenCL provider is registered in META-INF/services");
        for (DeviceInfo info : opencl) {
            System.out.println("probe: " + info.device() + " " + info.name() + ": " + info.status() + " "
                    + info.details());
            assertTrue(info.isAvailable() || !info.reason().isBlank());
        }
    }

    private static DeviceInfo single(ClInventory inventory) {
        List<ProbedDevice> probed = OpenClProbe.probe(inventory, GemmChoice.TILED);
        assertEquals(1, probed.size(), probed.toString());
        assertEquals(new Device(DeviceKind.OPENCL, 0), probed.get(0).info().device());
        assertNull(probed.get(0).device());
        return probed.get(0).info();
    }
}
