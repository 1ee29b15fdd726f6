package dev.cortado.cuda;

import dev.cortado.kernel.KernelVariant;
import jcuda.driver.CUresult;

/** Kernels from the PTX bundled in the jar; the driver compiles each for the device when it is loaded. */
record BundledPtx(PtxBundle bundle, int driverVersion) implements KernelLoader {

    @Override
    public byte[] image(KernelVariant variant, boolean fresh) {
        return bundle.ptx(variant);
    }

    @Override
    public boolean caches() {
        return false;
    }

    @Override
    public String loadFailure(KernelVariant variant, int result) {
        String advice = result == CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION
                ? "; PTX from nvcc " + bundle.nvccRelease() + " needs a driver for CUDA " + bundle.nvccRelease()
                + " or newer, and this one supports CUDA " + CudaDevice.cudaVersionText(driverVersion)
                : "";
        return "the driver cannot load the bundled PTX (" + bundle.describe() + ") of " + variant.file()
                + " [" + variant.options() + "]" + advice + "; with the CUDA 12 NVRTC library ("
                + CudaLibraries.NVRTC + ") the kernels are compiled for the device instead";
    }
}
