package dev.cortado.cuda;

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
 * Registers CUDA devices ({@code cuda:N}). The probe runs once per process and never throws. Settings, each a
 * system property or else an environment variable:
 * <ul>
 *   <li>{@code cortado.cuda.kernels} / {@code CORTADO_CUDA_KERNELS}: {@code nvrtc} or {@code ptx}; unset, NVRTC
 *       when {@code libnvrtc.so.12} loads, else the bundled PTX;</li>
 *   <li>{@code cortado.cuda.gemm} / {@code CORTADO_CUDA_GEMM}: {@code cublas} or {@code tiled}; unset, cuBLAS when
 *       {@code libcublas.so.12} loads, else the tiled kernel.</li>
 * </ul>
 * NVRTC's results are cached in {@code $XDG_CACHE_HOME/cortado/cuda} (else {@code ~/.cache/cortado/cuda}).
 */
public final class CudaBackendProvider implements BackendProvider {
    static final GemmSetting GEMM = new GemmSetting("cublas", "cortado.cuda.gemm", "CORTADO_CUDA_GEMM", null);

    private static List<ProbedCudaDevice> probed;

    @Override
    public DeviceKind kind() {
        return DeviceKind.CUDA;
    }

    @Override
    public List<DeviceInfo> probe() {
        return probedDevices().stream().map(ProbedCudaDevice::info).toList();
    }

    /** The devices, probed on the first call with this process's settings. */
    static synchronized List<ProbedCudaDevice> probedDevices() {
        if (probed == null) {
            KernelPath kernels;
            GemmChoice gemm;
            try {
                kernels = KernelPath.requested(System.getProperty(KernelPath.SETTING.property()), System.getenv());
                gemm = GEMM.configured();
            } catch (IllegalArgumentException e) {
                return probed = List.of(new ProbedCudaDevice(DeviceInfo.unavailable(new Device(DeviceKind.CUDA, 0),
                        "CUDA", e.getMessage()), null, null, null));
            }
            probed = CudaProbe.probe(CudaInventory.jcuda(), CudaProbe.Environment.current(kernels, gemm));
        }
        return probed;
    }

    @Override
    public Backend open(Device device) {
        ProbedCudaDevice found = find(device);
        return open(found, found.kernels(), found.gemm());
    }

    /**
     * Opens a device with a kernel path and GEMM engine of the caller's choosing (tests run both of each).
     *
     * @param kernels the path to use; null for the probe's choice
     * @param gemm the engine to ask for; null for the probe's choice
     * @throws DeviceUnavailableException when the device is unavailable or cannot use that kernel path
     */
    static CudaBackend open(Device device, KernelPath kernels, GemmChoice gemm) {
        ProbedCudaDevice found = find(device);
        KernelPlan plan = kernels == null ? found.kernels() : KernelPlan.choose(kernels, CudaLibraries.nvrtc(),
                CudaLibraries.nvrtcArchitectures(), PtxBundle.load(), found.device().computeCapability(),
                found.device().driverVersion());
        return open(found, plan, gemm == null ? found.gemm() : gemm);
    }

    private static ProbedCudaDevice find(Device device) {
        ProbedCudaDevice found = probedDevices().stream()
                .filter(p -> p.info().device().equals(device))
                .findFirst()
                .orElseThrow(() -> new DeviceUnavailableException("no CUDA device " + device + "; found: "
                        + probedDevices().stream().map(p -> p.info().device() + " (" + p.info().status() + ")")
                        .toList()));
        if (!found.info().isAvailable()) {
            throw new DeviceUnavailableException("device " + device + " is unavailable: " + found.info().reason());
        }
        return found;
    }

    private static CudaBackend open(ProbedCudaDevice found, KernelPlan plan, GemmChoice gemm) {
        Device device = found.info().device();
        KernelLoader loader;
        if (plan instanceof KernelPlan.Nvrtc nvrtc) {
            loader = new NvrtcCompiler(found.device(), nvrtc.version(), nvrtc.target(),
                    new ProgramCache(ProgramCache.defaultDirectory("cuda")));
        } else if (plan instanceof KernelPlan.Ptx ptx) {
            loader = new BundledPtx(ptx.bundle(), found.device().driverVersion());
        } else {
            throw new DeviceUnavailableException("device " + device + " cannot be used: " + plan.describe());
        }
        try {
            return new CudaBackend(found, plan, loader, gemm, CudaLibraries.cublas());
        } catch (RuntimeException | LinkageError e) {
            throw new DeviceUnavailableException("cannot open " + device + " (" + found.info().name() + "): " + e, e);
        }
    }
}
