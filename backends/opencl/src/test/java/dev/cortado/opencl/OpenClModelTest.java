package dev.cortado.opencl;

import dev.cortado.device.Device;
import dev.cortado.testing.ModelSuite;

/** The model suite on opencl:0. */
class OpenClModelTest extends ModelSuite {

    @Override
    protected Device device() {
        return OpenClTestDevice.DEVICE;
    }
}
