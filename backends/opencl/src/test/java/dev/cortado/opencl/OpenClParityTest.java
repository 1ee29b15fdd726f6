package dev.cortado.opencl;

import dev.cortado.device.Device;
import dev.cortado.testing.DeviceParitySuite;

/** The same training steps on the CPU and on opencl:0 give the same losses. */
class OpenClParityTest extends DeviceParitySuite {

    @Override
    protected Device device() {
        return OpenClTestDevice.DEVICE;
    }
}
