package dev.cortado.testing;

import dev.cortado.backend.Backend;
import dev.cortado.device.Device;
import dev.cortado.device.DeviceInfo;
import dev.cortado.device.Devices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Opens one backend for a whole test class on the device a subclass names, found through
 * {@link Devices#system()}. When the device is absent or unavailable every test of the class is skipped and the
 * reason printed, never silently passed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DeviceTestBase {
    private Backend backend;

    /** The device whose backend the suite tests. */
    protected abstract Device device();

    /** The open backend. */
    protected final Backend backend() {
        return backend;
    }

    @BeforeAll
    final void openBackend() {
        Device device = device();
        DeviceInfo info = Devices.system().list().stream().filter(i -> i.device().equals(device)).findFirst()
                .orElse(null);
        String reason = info == null ? "no backend for " + device + " on the class path"
                : info.isAvailable() ? null : info.reason();
        if (reason != null) {
            System.err.println(getClass().getSimpleName() + ": skipping, " + device + " is unavailable: " + reason);
        }
        Assumptions.assumeTrue(reason == null, () -> device + " is unavailable: " + reason);
        backend = Devices.system().open(device);
    }

    @AfterAll
    final void closeBackend() {
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }
}
