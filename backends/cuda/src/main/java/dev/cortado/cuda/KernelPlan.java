package dev.cortado.cuda;

import java.util.Arrays;
import java.util.Optional;

/** How one CUDA device will get its kernels, or why it cannot get them; chosen when probing. */
sealed interface KernelPlan {

    /** For the device details. */
    String describe();

    /** NVRTC compiles each kernel variant for {@code target}: the device's {@code sm_XY}, or PTX for {@code compute_XY}. */
    record Nvrtc(String version, String target) implements KernelPlan {
        @Override
        public String describe() {
            return "NVRTC " + version + " (" + CudaLibraries.NVRTC + "), compiled for " + target
                    + (target.startsWith("compute_") ? " as PTX that the driver compiles (this NVRTC knows no newer "
                    + "architecture)" : "") + ", cached on disk";
        }
    }

    /** The bundled PTX; {@code whyNotNvrtc} says why NVRTC is not used. */
    record Ptx(PtxBundle bundle, String whyNotNvrtc) implements KernelPlan {
        @Override
        public String describe() {
            return "bundled PTX (" + bundle.describe() + "), compiled by the driver; " + whyNotNvrtc;
        }
    }

    /** Neither way works on this device. */
    record Unusable(String reason) implements KernelPlan {
        @Override
        public String describe() {
            return reason;
        }
    }

    /**
     * The plan for a device of compute capability {@code cc} (e.g. 90) under a driver for CUDA
     * {@code driverVersion} (e.g. 12040): NVRTC when it loads and can target the device, else the bundled PTX when
     * the driver can load it, unless {@code requested} names one path (then only that one).
     *
     * @param nvrtcArchitectures the architectures NVRTC compiles for, ascending
     */
    static KernelPlan choose(KernelPath requested, LibraryStatus nvrtc, int[] nvrtcArchitectures,
                             Optional<PtxBundle> bundle, int cc, int driverVersion) {
        String nvrtcProblem = nvrtcProblem(nvrtc, nvrtcArchitectures, cc, driverVersion);
        String ptxProblem = ptxProblem(bundle, cc, driverVersion);
        if (requested == KernelPath.NVRTC) {
            return nvrtcProblem == null ? new Nvrtc(nvrtc.version(), nvrtcTarget(nvrtcArchitectures, cc))
                    : new Unusable("NVRTC was asked for (" + KernelPath.SETTING.property() + "=nvrtc) but "
                    + nvrtcProblem);
        }
        if (requested == KernelPath.BUNDLED_PTX) {
            return ptxProblem == null ? new Ptx(bundle.orElseThrow(), "asked for with "
                    + KernelPath.SETTING.property() + "=ptx")
                    : new Unusable("the bundled PTX was asked for (" + KernelPath.SETTING.property() + "=ptx) but "
                    + ptxProblem);
        }
        if (nvrtcProblem == null) {
            return new Nvrtc(nvrtc.version(), nvrtcTarget(nvrtcArchitectures, cc));
        }
        if (ptxProblem == null) {
            return new Ptx(bundle.orElseThrow(), "NVRTC is not used: " + nvrtcProblem);
        }
        return new Unusable("no way to build the kernels: NVRTC cannot be used (" + nvrtcProblem + ") and "
                + ptxProblem + "; install the CUDA 12 NVRTC library (" + CudaLibraries.NVRTC
                + ", e.g. the cuda-nvrtc-12 package) or a newer driver");
    }

    /** {@code sm_<cc>} when NVRTC knows the device, else PTX for the newest architecture it knows below it. */
    private static String nvrtcTarget(int[] architectures, int cc) {
        if (Arrays.stream(architectures).anyMatch(a -> a == cc)) {
            return "sm_" + cc;
        }
        return "compute_" + Arrays.stream(architectures).filter(a -> a < cc).max().orElseThrow();
    }

    /** Why NVRTC cannot build this device's kernels, or null when it can. */
    private static String nvrtcProblem(LibraryStatus nvrtc, int[] architectures, int cc, int driverVersion) {
        if (!nvrtc.isLoaded()) {
            return nvrtc.problem();
        }
        if (Arrays.stream(architectures).noneMatch(a -> a <= cc)) {
            return "NVRTC " + nvrtc.version() + " compiles for compute capability "
                    + CudaDevice.capabilityText(architectures[0]) + " and later only, and this device is "
                    + CudaDevice.capabilityText(cc);
        }
        boolean knowsDevice = Arrays.stream(architectures).anyMatch(a -> a == cc);
        int needed = CudaDevice.cudaVersionNumber(nvrtc.version());
        if (!knowsDevice && driverVersion < needed) {
            return "NVRTC " + nvrtc.version() + " does not know compute capability " + CudaDevice.capabilityText(cc)
                    + ", and its PTX needs a driver for CUDA " + nvrtc.version() + " or newer (this one supports CUDA "
                    + CudaDevice.cudaVersionText(driverVersion) + ")";
        }
        return null;
    }

    /** Why the bundled PTX cannot run on this device, or null when it can. */
    private static String ptxProblem(Optional<PtxBundle> bundle, int cc, int driverVersion) {
        if (bundle.isEmpty()) {
            return "this build of Cortado carries no bundled PTX (nvcc was not found when it was built)";
        }
        PtxBundle b = bundle.get();
        if (driverVersion < b.minimumDriverVersion()) {
            return "the bundled PTX (" + b.describe() + ") needs a driver for CUDA " + b.nvccRelease()
                    + " or newer, and this one supports CUDA " + CudaDevice.cudaVersionText(driverVersion);
        }
        if (cc < b.minimumComputeCapability()) {
            return "the bundled PTX (" + b.describe() + ") runs on compute capability "
                    + CudaDevice.capabilityText(b.minimumComputeCapability()) + " and later, and this device is "
                    + CudaDevice.capabilityText(cc);
        }
        return null;
    }
}
