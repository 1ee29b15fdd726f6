package dev.cortado.cuda;

import dev.cortado.backend.Backend;
import dev.cortado.device.Device;
import dev.cortado.testing.BackendConformanceSuite;

/**
 * The conformance suite on cuda:0 with every kernel from the bundled PTX, also where NVRTC would be used: the
 * path of a host with only the driver. Skipped, with the reason, without a GPU or without a bundle.
 */
class CudaPtxConformanceTest extends BackendConformanceSuite {

    @Override
    protected Device device() {
        return CudaTestDevice.DEVICE;
    }

    @Override
    protected Backend open(Device device) {
        return CudaBackendProvider.open(device, KernelPath.BUNDLED_PTX, null);
    }
}
