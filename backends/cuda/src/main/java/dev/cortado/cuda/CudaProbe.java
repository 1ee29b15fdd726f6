package dev.cortado.cuda;

import dev.cortado.device.Device;
import dev.cortado.device.DeviceInfo;
import dev.cortado.device.DeviceKind;
import dev.cortado.kernel.GemmChoice;
import dev.cortado.kernel.GemmTiles;
import dev.cortado.kernel.TiledGemm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jcuda.driver.CUresult;

/**
 * Finds CUDA devices ({@code cuda:0, cuda:1, ...}) and decides, per device, where its kernels come from and
 * which GEMM runs. Never throws: a missing driver, no device, a failing driver and missing optional libraries all
 * become reasons a user can act on.
 */
final class CudaProbe {
    /** The JCuda release the natives belong to, for messages. */
    static final String JCUDA_VERSION = "12.6.0";

    /**
     * What the probe needs besides the driver: the optional libraries, the bundled PTX and the settings.
     *
     * @param requestedKernels the kernel path asked for; null to choose (NVRTC when it loads)
     * @param requestedGemm the GEMM engine asked for; null to choose (cuBLAS when it loads)
     */
    record Environment(LibraryStatus nvrtc, int[] nvrtcArchitectures, LibraryStatus cublas,
                       Optional<PtxBundle> bundle, KernelPath requestedKernels, GemmChoice requestedGemm) {

        /** This process: the libraries as they load, the jar's bundle, the settings. */
        static Environment current(KernelPath requestedKernels, GemmChoice requestedGemm) {
            return new Environment(CudaLibraries.nvrtc(), CudaLibraries.nvrtcArchitectures(), CudaLibraries.cublas(),
                    PtxBundle.load(), requestedKernels, requestedGemm);
        }
    }

    private CudaProbe() {
    }

    static List<ProbedCudaDevice> probe(CudaInventory inventory, Environment environment) {
        int driverVersion;
        int count;
        try {
            driverVersion = inventory.driverVersion();
            count = inventory.deviceCount();
        } catch (Throwable t) {
            return List.of(unavailable(0, "CUDA", reasonFor(t)));
        }
        if (count == 0) {
            return List.of(unavailable(0, "CUDA", noDevice()));
        }
        List<ProbedCudaDevice> found = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            found.add(describe(inventory, i, driverVersion, environment));
        }
        return List.copyOf(found);
    }

    private static ProbedCudaDevice describe(CudaInventory inventory, int index, int driverVersion,
                                             Environment environment) {
        CudaDevice d;
        try {
            d = inventory.describe(index, driverVersion);
        } catch (Throwable t) {
            return unavailable(index, "CUDA device", "the driver failed to describe the device: "
                    + LinkFailure.firstLine(t));
        }
        KernelPlan kernels = KernelPlan.choose(environment.requestedKernels(), environment.nvrtc(),
                environment.nvrtcArchitectures(), environment.bundle(), d.computeCapability(), driverVersion);
        if (kernels instanceof KernelPlan.Unusable unusable) {
            return unavailable(index, d.name(), unusable.reason());
        }
        LibraryStatus cublas = environment.cublas();
        GemmChoice gemm = environment.requestedGemm() != null ? environment.requestedGemm()
                : cublas.isLoaded() ? GemmChoice.LIBRARY : GemmChoice.TILED;
        String gemmLine = gemm == GemmChoice.TILED ? tiledLine(d, cublas)
                : cublas.isLoaded() ? "cuBLAS (" + CudaLibraries.CUBLAS + ")"
                : "cuBLAS was asked for but " + cublas.problem() + "; GEMM runs on the tiled kernel";
        return new ProbedCudaDevice(DeviceInfo.available(new Device(DeviceKind.CUDA, index), d.name(), true,
                d.memoryBytes(), d.multiprocessors(), details(d, kernels, gemmLine)), d, kernels, gemm);
    }

    /** The GEMM line of the tiled kernel, saying why cuBLAS is not used when it did not load. */
    static String tiledLine(CudaDevice d, LibraryStatus cublas) {
        return TiledGemm.describe(GemmTiles.forDevice(d.facts())) + withoutCublas(cublas);
    }

    /** " (cuBLAS is not used: libcublas.so.12 not found; ...)" when cuBLAS did not load, else "". */
    static String withoutCublas(LibraryStatus cublas) {
        return cublas.isLoaded() ? "" : " (cuBLAS is not used: " + cublas.problem() + "; large products run slower)";
    }

    /** The details shown for a device. */
    static Map<String, String> details(CudaDevice d, KernelPlan kernels, String gemmLine) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("compute capability", CudaDevice.capabilityText(d.computeCapability()));
        details.put("driver", "supports CUDA " + CudaDevice.cudaVersionText(d.driverVersion()));
        details.put("kernels", kernels.describe());
        details.put("gemm", gemmLine);
        return details;
    }

    /** The words a user sees for a failure of the whole CUDA stack. */
    static String reasonFor(Throwable t) {
        Optional<String> missing = LinkFailure.missingLibrary(t);
        if (missing.isPresent() && missing.get().startsWith("libcuda.so")) {
            return "no NVIDIA driver (" + missing.get() + " not found): install the NVIDIA driver; in a container, "
                    + "run it with the NVIDIA Container Toolkit (docker run --gpus all)";
        }
        if (t instanceof LinkageError) {
            return "the JCuda " + JCUDA_VERSION + " native library could not be loaded: " + LinkFailure.describe(t);
        }
        if (t instanceof CudaCallException e && e.result() == CUresult.CUDA_ERROR_NO_DEVICE) {
            return noDevice();
        }
        if (t instanceof CudaCallException e && e.result() == CUresult.CUDA_ERROR_SYSTEM_DRIVER_MISMATCH) {
            return "the NVIDIA driver's kernel module and libcuda.so.1 are of different versions (reboot after a "
                    + "driver update; in a container, the host's driver must be the one mounted): " + e.getMessage();
        }
        return "CUDA probe failed: " + LinkFailure.firstLine(t);
    }

    private static String noDevice() {
        return "no CUDA device: the NVIDIA driver is installed but sees no GPU (check nvidia-smi and "
                + "CUDA_VISIBLE_DEVICES)";
    }

    private static ProbedCudaDevice unavailable(int index, String name, String reason) {
        return new ProbedCudaDevice(DeviceInfo.unavailable(new Device(DeviceKind.CUDA, index), name, reason), null,
                null, null);
    }
}
