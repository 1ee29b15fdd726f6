package dev.cortado.cuda;

import dev.cortado.device.Device;
import dev.cortado.testing.LayerSuite;

/** The CUDA backend on cuda:0 against the layer suite; skipped, with the reason, without a GPU. */
class CudaLayerTest extends LayerSuite {

    @Override
    protected Device device() {
        return CudaTestDevice.DEVICE;
    }
}
