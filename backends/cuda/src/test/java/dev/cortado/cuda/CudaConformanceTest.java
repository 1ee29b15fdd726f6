package dev.cortado.cuda;

import dev.cortado.device.Device;
import dev.cortado.testing.BackendConformanceSuite;

/** The CUDA backend on cuda:0 against the backend conformance suite; skipped, with the reason, without a GPU. */
class CudaConformanceTest extends BackendConformanceSuite {

    @Override
    protected Device device() {
        return CudaTestDevice.DEVICE;
    }
}
