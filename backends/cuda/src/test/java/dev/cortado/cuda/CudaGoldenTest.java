package dev.cortado.cuda;

import dev.cortado.device.Device;
import dev.cortado.testing.GoldenSuite;

/** The CUDA backend on cuda:0 against the golden values made with PyTorch; skipped, with the reason, without a GPU. */
class CudaGoldenTest extends GoldenSuite {

    @Override
    protected Device device() {
        return CudaTestDevice.DEVICE;
    }
}
