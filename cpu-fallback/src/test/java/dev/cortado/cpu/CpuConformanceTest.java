package dev.cortado.cpu;

import dev.cortado.device.Device;
import dev.cortado.testing.BackendConformanceSuite;

/** The CPU fallback against the backend conformance suite. */
class CpuConformanceTest extends BackendConformanceSuite {

    @Override
    protected Device device() {
        return Device.CPU;
    }
}
