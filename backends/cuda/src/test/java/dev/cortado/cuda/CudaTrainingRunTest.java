package dev.cortado.cuda;

import dev.cortado.device.Device;
import dev.cortado.testing.TrainingRunSuite;

/** The CUDA backend on cuda:0 against the resumable training run suite (a resumed run ends bit-identical to an unbroken one); skipped, with the reason, without a GPU. */
class CudaTrainingRunTest extends TrainingRunSuite {

    @Override
    protected Device device() {
        return CudaTestDevice.DEVICE;
    }
}
