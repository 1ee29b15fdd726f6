package dev.cortado.cpu;

import dev.cortado.device.Device;
import dev.cortado.testing.TrainingRunSuite;

/** Checkpoints and resumable training runs on the CPU backend. */
class CpuTrainingRunTest extends TrainingRunSuite {

    @Override
    protected Device device() {
        return Device.CPU;
    }
}
