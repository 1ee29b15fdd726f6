package dev.cortado.cpu;

import dev.cortado.device.Device;
import dev.cortado.testing.PredictSuite;

/** The predict suite on the CPU. */
class CpuPredictTest extends PredictSuite {

    @Override
    protected Device device() {
        return Device.CPU;
    }
}
