package dev.cortado.opencl;

import dev.cortado.device.Device;
import dev.cortado.testing.PredictSuite;

/** The predict suite on opencl:0. */
class OpenClPredictTest extends PredictSuite {

    @Override
    protected Device device() {
        return OpenClTestDevice.DEVICE;
    }
}
