package dev.cortado.cuda;

import dev.cortado.device.Device;
import dev.cortado.testing.ModelSuite;

/** The model suite on cuda:0; skipped, with the reason, without a GPU. */
class CudaModelTest extends ModelSuite {

    @Override
    protected Device device() {
        return CudaTestDevice.DEVICE;
    }
}
