package dev.cortado.cpu;

import dev.cortado.device.Device;
import dev.cortado.testing.GradientCheckSuite;

/** Finite-difference gradient checks of every layer and loss on the CPU backend. */
class CpuGradientCheckTest extends GradientCheckSuite {

    @Override
    protected Device device() {
        return Device.CPU;
    }
}
