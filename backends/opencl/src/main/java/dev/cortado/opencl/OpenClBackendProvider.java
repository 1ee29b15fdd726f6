package dev.cortado.opencl;

import dev.cortado.backend.Backend;
import dev.cortado.device.BackendProvider;
import dev.cortado.device.Device;
import dev.cortado.device.DeviceInfo;
import dev.cortado.device.DeviceKind;
import dev.cortado.device.DeviceUnavailableException;
import dev.cortado.kernel.GemmChoice;
import dev.cortado.kernel.GemmSetting;
import dev.cortado.kernel.ProgramCache;
import java.util.List;

/**
 * Registers OpenCL devices ({@code opencl:N}, numbered across platforms). The probe runs once per process and
 * never throws; each backend it opens compiles kernels through the program cache in
 * {@code $XDG_CACHE_HOME/cortado/opencl} (else {@code ~/.cache/cortado/opencl}).
 */
public final class OpenClBackendProvider implements BackendProvider {
    /**
     * {@code -Dcortado.opencl.gemm} or {@code CORTADO_OPENCL_GEMM}: {@code tiled} or {@code clblast}. The tiled
     * kernel is the default: it was the faster of the two in the same-run benchmark (see {@code GemmBenchmark}).
     */
    static final GemmSetting GEMM = new GemmSetting("clblast", "cortado.opencl.gemm", "CORTADO_OPENCL_GEMM",
            GemmChoice.TILED);
    private static List<ProbedDevice> probed;

    @Override
    public DeviceKind kind() {
        return DeviceKind.OPENCL;
    }

    @Override
    public List<DeviceInfo> probe() {
        return probedDevices().stream().map(ProbedDevice::info).toList();
    }

    private static synchronized List<ProbedDevice> probedDevices() {
        if (probed == null) {
            GemmChoice gemm;
            try {
                gemm = GEMM.configured();
            } catch (IllegalArgumentException e) {
                return probed = List.of(new ProbedDevice(DeviceInfo.unavailable(new Device(DeviceKind.OPENCL, 0),
                        "OpenCL", e.getMessage()), null));
            }
            probed = OpenClProbe.probe(ClInventory.jocl(), gemm);
        }
        return probed;
    }

    @Override
    public Backend open(Device device) {
        ProbedDevice found = probedDevices().stream()
                .filter(p -> p.info().device().equals(device))
                .findFirst()
                .orElseThrow(() -> new DeviceUnavailableException("no OpenCL device " + device + "; found: "
                        + probe().stream().map(i -> i.device() + " (" + i.status() + ")").toList()));
        if (!found.info().isAvailable()) {
            throw new DeviceUnavailableException("device " + device + " is unavailable: " + found.info().reason());
        }
        try {
            return new OpenClBackend(found.device(), found.info(), GEMM.configured(),
                    new ProgramCache(ProgramCache.defaultDirectory("opencl")));
        } catch (RuntimeException | LinkageError e) {
            throw new DeviceUnavailableException("cannot open " + device + " (" + found.info().name() + "): " + e, e);
        }
    }
}
