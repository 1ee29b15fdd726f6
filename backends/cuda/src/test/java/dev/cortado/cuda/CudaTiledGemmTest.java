package dev.cortado.cuda;

import dev.cortado.backend.Backend;
import dev.cortado.device.Device;
import dev.cortado.kernel.GemmChoice;
import dev.cortado.testing.BackendSuiteSupport;
import dev.cortado.testing.GemmConformance;

/**
 * The GEMM conformance cases on cuda:0 with the tiled kernel, also where cuBLAS would be used: the GEMM of a host
 * without libcublas.so.12. Skipped, with the reason, without a GPU.
 */
class CudaTiledGemmTest extends BackendSuiteSupport implements GemmConformance {

    @Override
    protected Device device() {
        return CudaTestDevice.DEVICE;
    }

    @Override
    protected Backend open(Device device) {
        return CudaBackendProvider.open(device, null, GemmChoice.TILED);
    }
}
