package dev.cortado.cuda;

import dev.cortado.device.Device;
import dev.cortado.testing.PredictSuite;

/** The predict suite on cuda:0; skipped, with the reason, without a GPU. */
class CudaPredictTest extends PredictSuite {

    @Override
    protected Device device() {
        return CudaTestDevice.DEVICE;
    }
}
