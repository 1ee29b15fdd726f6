package dev.cortado.cuda;

import dev.cortado.device.Device;
import dev.cortado.device.DeviceKind;
import java.nio.file.Files;
import java.nio.file.Path;

/** The device the CUDA tests run on, and whether this machine has an NVIDIA driver at all. */
final class CudaTestDevice {
    static final Device DEVICE = new Device(DeviceKind.CUDA, 0);

    private CudaTestDevice() {
    }

    /** The NVIDIA driver creates this device file; without it, there is no driver to find. */
    static boolean driverInstalled() {
        return Files.exists(Path.of("/dev/nvidiactl"));
    }
}
