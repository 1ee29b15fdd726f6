package dev.cortado.opencl;

import dev.cortado.device.Device;
import dev.cortado.testing.GoldenSuite;

/** The PyTorch golden values on opencl:0. */
class OpenClGoldenTest extends GoldenSuite {

    @Override
    protected Device device() {
        return OpenClTestDevice.DEVICE;
    }
}
