package dev.cortado.opencl;

import dev.cortado.device.Device;
import dev.cortado.testing.TrainingRunSuite;

/** Checkpoints and resumable training runs on opencl:0: a resumed run ends bit-identical to an unbroken one. */
class OpenClTrainingRunTest extends TrainingRunSuite {

    @Override
    protected Device device() {
        return OpenClTestDevice.DEVICE;
    }
}
