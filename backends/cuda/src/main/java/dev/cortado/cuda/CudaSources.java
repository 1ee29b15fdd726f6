package dev.cortado.cuda;

import dev.cortado.kernel.KernelSources;

/** The CUDA text of a kernel file: the prelude that maps the OpenCL spellings, then the file unchanged. */
final class CudaSources {

    private CudaSources() {
    }

    /** What NVRTC and nvcc compile for {@code file}, e.g. {@code gemm.cl}. */
    static String of(String file) {
        return KernelSources.get("cuda_prelude.h") + "\n" + KernelSources.get(file);
    }
}
