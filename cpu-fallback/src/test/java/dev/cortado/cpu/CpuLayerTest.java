package dev.cortado.cpu;

import dev.cortado.device.Device;
import dev.cortado.testing.LayerSuite;

/** Layer, loss and model behaviour on the CPU backend. */
class CpuLayerTest extends LayerSuite {

    @Override
    protected Device device() {
        return Device.CPU;
    }
}
