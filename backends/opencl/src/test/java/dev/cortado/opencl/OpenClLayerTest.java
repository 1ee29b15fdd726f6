package dev.cortado.opencl;

import dev.cortado.device.Device;
import dev.cortado.testing.LayerSuite;

/** The layer suite on opencl:0. */
class OpenClLayerTest extends LayerSuite {

    @Override
    protected Device device() {
        return OpenClTestDevice.DEVICE;
    }
}
