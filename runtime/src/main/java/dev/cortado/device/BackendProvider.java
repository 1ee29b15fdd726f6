package dev.cortado.device;

import dev.cortado.backend.Backend;
import java.util.List;

/**
 * The service each backend module registers in {@code META-INF/services/dev.cortado.device.BackendProvider}.
 * The runtime finds providers with {@link java.util.ServiceLoader} and never names a backend class.
 */
public interface BackendProvider {

    /** The family of devices this provider serves. */
    DeviceKind kind();

    /**
     * Looks for devices. Must not throw, not even {@link LinkageError}: a missing driver, native library or
     * platform is reported as an unavailable {@link DeviceInfo} with the reason. Called once per process by
     * {@link Devices}; providers may cache the answer.
     */
    List<DeviceInfo> probe();

    /**
     * Opens a backend on one of the devices that {@link #probe()} reported as available.
     *
     * @throws DeviceUnavailableException when the device cannot be opened
     */
    Backend open(Device device);
}
