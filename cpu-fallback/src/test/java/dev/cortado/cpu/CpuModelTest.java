package dev.cortado.cpu;

import dev.cortado.device.Device;
import dev.cortado.testing.ModelSuite;

/** The model suite on the CPU. */
class CpuModelTest extends ModelSuite {

    @Override
    protected Device device() {
        return Device.CPU;
    }
}
