package dev.cortado.cpu;

import dev.cortado.backend.Backend;
import dev.cortado.device.BackendProvider;
import dev.cortado.device.Device;
import dev.cortado.device.DeviceInfo;
import dev.cortado.device.DeviceKind;
import dev.cortado.device.DeviceUnavailableException;
import java.util.List;

/** Registers the CPU fallback, which is always available. */
public final class CpuBackendProvider implements BackendProvider {

    @Override
    public DeviceKind kind() {
        return DeviceKind.CPU;
    }

    @Override
    public List<DeviceInfo> probe() {
        return List.of(CpuBackend.describe());
    }

    @Override
    public Backend open(Device device) {
        if (!device.equals(Device.CPU)) {
            throw new DeviceUnavailableException("the CPU backend serves only 'cpu', not " + device);
        }
        return new CpuBackend();
    }
}
