package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.Backend;
import dev.cortado.cpu.CpuBackendProvider;
import dev.cortado.device.BackendProvider;
import dev.cortado.device.Device;
import dev.cortado.device.DeviceInfo;
import dev.cortado.device.DeviceKind;
import dev.cortado.device.DeviceUnavailableException;
import dev.cortado.device.Devices;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceOptionTest {
    /** An OpenCL GPU that probes as available but fails to open, as a driver can. */
    private static final BackendProvider FLAKY_GPU = new BackendProvider() {
        @Override
        public DeviceKind kind() {
            return DeviceKind.OPENCL;
        }

        @Override
        public List<DeviceInfo> probe() {
            return List.of(DeviceInfo.available(new Device(DeviceKind.OPENCL, 0), "Flaky GPU", true, 1L << 30, 8,
                    Map.of()));
        }

        @Override
        public Backend open(Device device) {
            throw new DeviceUnavailableException("clCreateContext failed: CL_OUT_OF_HOST_MEMORY");
        }
    };

    private final Devices devices = new Devices(List.of(new CpuBackendProvider(), FLAKY_GPU));

    private static DeviceOption option(String device) {
        DeviceOption option = new DeviceOption();
        option.device = device;
        return option;
    }

    @Test
    void anImpliedDeviceThatFailsToOpenFallsBackToTheCpuSayingWhy() {
        DeviceOption.Opened opened = option(null).open(devices, Map.of());
        try (Backend backend = opened.backend()) {
            assertEquals(Device.CPU, backend.info().device());
            assertEquals("fell back to the CPU: opencl:0 failed to open (clCreateContext failed: "
                    + "CL_OUT_OF_HOST_MEMORY)", opened.selection().why());
        }
    }

    @Test
    void aRequestedDeviceThatFailsIsAnErrorWithTheReason() {
        CliException byOption = assertThrows(CliException.class, () -> option("opencl:0").open(devices, Map.of()));
        assertEquals(ExitCode.DEVICE, byOption.exitCode());
        assertEquals("cannot open opencl:0: clCreateContext failed: CL_OUT_OF_HOST_MEMORY", byOption.getMessage());
        CliException byEnvironment = assertThrows(CliException.class,
                () -> option(null).open(devices, Map.of(Devices.ENV_VARIABLE, "opencl")));
        assertEquals(ExitCode.DEVICE, byEnvironment.exitCode());
    }

    @Test
    void unknownDevicesAreErrorsListingThoseThatExist() {
        CliException missing = assertThrows(CliException.class, () -> option("cuda:1").open(devices, Map.of()));
        assertEquals("no device cuda:1; devices here: cpu (available), opencl:0 (available)", missing.getMessage());
        CliException malformed = assertThrows(CliException.class, () -> option("gpu").open(devices, Map.of()));
        assertTrue(malformed.getMessage().startsWith("not a device: 'gpu'"), malformed.getMessage());
    }

    @Test
    void theCpuIsChosenByNameAndSaysSo() {
        DeviceOption.Opened opened = option("cpu").open(devices, Map.of());
        try (Backend backend = opened.backend()) {
            assertEquals(Device.CPU, backend.info().device());
            assertEquals("requested with --device", opened.selection().why());
            assertTrue(opened.describe().startsWith("cpu ("), opened.describe());
        }
    }
}
