package dev.cortado.cuda;

import dev.cortado.device.Device;
import dev.cortado.testing.DeviceParitySuite;

/** The CUDA backend on cuda:0 against device parity (the same training steps on the CPU give the same losses); skipped, with the reason, without a GPU. */
class CudaParityTest extends DeviceParitySuite {

    @Override
    protected Device device() {
        return CudaTestDevice.DEVICE;
    }
}
