package dev.cortado.cuda;

import dev.cortado.backend.Backend;
import dev.cortado.device.DeviceInfo;
import dev.cortado.kernel.GemmChoice;
import dev.cortado.kernel.KernelBackend;
import dev.cortado.kernel.KernelVariant;
import java.util.List;
import java.util.Map;

/**
 * The {@link Backend} of one CUDA device: the shared {@link KernelBackend} over a {@link CudaContext} (the
 * device's primary context, one stream, kernels from NVRTC or the bundled PTX), with GEMM on cuBLAS or the tiled
 * kernel. Ops only queue work on the stream; {@code download} is the one call that waits.
 */
public final class CudaBackend extends KernelBackend {

    CudaBackend(ProbedCudaDevice probed, KernelPlan kernels, KernelLoader loader, GemmChoice gemm,
                LibraryStatus cublas) {
        this(new CudaContext(probed.device(), loader), probed, kernels, gemm, cublas);
    }

    private CudaBackend(CudaContext context, ProbedCudaDevice probed, KernelPlan kernels, GemmChoice gemm,
                        LibraryStatus cublas) {
        super(context, gemm, gemmLine -> new DeviceInfo(probed.info().device(), probed.info().name(), true,
                probed.info().memoryBytes(), probed.info().computeUnits(), null, CudaProbe.details(probed.device(),
                kernels, gemm == GemmChoice.TILED ? gemmLine + CudaProbe.withoutCublas(cublas) : gemmLine)));
    }

    private CudaContext context() {
        return (CudaContext) kernelDevice();
    }

    /** The kernel variants loaded so far, for tests. */
    List<KernelVariant> loadedVariants() {
        return context().modules().loaded();
    }

    /** CUDA objects this backend holds now, by kind; empty after {@link #close()}. */
    Map<CudaObjects.Kind, Long> liveObjects() {
        return context().objects().live();
    }
}
