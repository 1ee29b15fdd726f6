package dev.cortado.opencl;

import dev.cortado.device.Device;
import dev.cortado.testing.GradientCheckSuite;

/** Finite-difference gradient checks of every layer and loss on opencl:0. */
class OpenClGradientCheckTest extends GradientCheckSuite {

    @Override
    protected Device device() {
        return OpenClTestDevice.DEVICE;
    }
}
