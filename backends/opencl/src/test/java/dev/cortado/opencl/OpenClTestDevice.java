package dev.cortado.opencl;

import dev.cortado.device.Device;
import dev.cortado.device.DeviceKind;
import dev.cortado.kernel.GemmChoice;
import dev.cortado.kernel.ProgramCache;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Opens opencl:0 for tests with a private program cache, or skips the test with the probe's reason. */
final class OpenClTestDevice {
    static final Device DEVICE = new Device(DeviceKind.OPENCL, 0);

    private OpenClTestDevice() {
    }

    /** The probe's entry for opencl:0, available or not. */
    static ProbedDevice first() {
        List<ProbedDevice> probed = OpenClProbe.probe(ClInventory.jocl(), GemmChoice.TILED);
        return probed.get(0);
    }

    /** The probe's entry for opencl:0; skips the calling test, printing why, when it is unavailable. */
    static ProbedDevice require() {
        ProbedDevice first = first();
        if (!first.info().isAvailable()) {
            System.out.println("skipping OpenCL test: " + DEVICE + " is unavailable: " + first.info().reason());
        }
        Assumptions.assumeTrue(first.info().isAvailable(), () -> DEVICE + " unavailable: " + first.info().reason());
        return first;
    }

    static OpenClBackend open(Path cacheDirectory) {
        return open(cacheDirectory, GemmChoice.TILED);
    }

    static OpenClBackend open(Path cacheDirectory, GemmChoice gemm) {
        return open(require(), cacheDirectory, gemm);
    }

    static OpenClBackend open(ProbedDevice d, Path cacheDirectory, GemmChoice gemm) {
        return new OpenClBackend(d.device(), d.info(), gemm, new ProgramCache(cacheDirectory));
    }
}
