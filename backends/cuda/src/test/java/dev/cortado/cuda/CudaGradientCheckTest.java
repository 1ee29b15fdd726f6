package dev.cortado.cuda;

import dev.cortado.device.Device;
import dev.cortado.testing.GradientCheckSuite;

/** The CUDA backend on cuda:0 against finite-difference gradient checks of every layer and loss; skipped, with the reason, without a GPU. */
class CudaGradientCheckTest extends GradientCheckSuite {

    @Override
    protected Device device() {
        return CudaTestDevice.DEVICE;
    }
}
