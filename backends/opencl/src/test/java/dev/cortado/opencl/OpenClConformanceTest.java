package dev.cortado.opencl;

import dev.cortado.device.Device;
import dev.cortado.testing.BackendConformanceSuite;

/** The OpenCL backend on opencl:0 (PoCL on a CPU-only machine) against the backend conformance suite. */
class OpenClConformanceTest extends BackendConformanceSuite {

    @Override
    protected Device device() {
        return OpenClTestDevice.DEVICE;
    }
}
