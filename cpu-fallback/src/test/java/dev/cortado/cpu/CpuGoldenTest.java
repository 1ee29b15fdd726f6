package dev.cortado.cpu;

import dev.cortado.device.Device;
import dev.cortado.testing.GoldenSuite;

/** The CPU fallback against PyTorch's golden values. */
class CpuGoldenTest extends GoldenSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
