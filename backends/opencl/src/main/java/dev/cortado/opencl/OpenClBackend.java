package dev.cortado.opencl;

import dev.cortado.backend.Backend;
import dev.cortado.device.DeviceInfo;
import dev.cortado.kernel.GemmChoice;
import dev.cortado.kernel.GemmTiles;
import dev.cortado.kernel.KernelBackend;
import dev.cortado.kernel.ProgramCache;
import dev.cortado.kernel.TiledGemm;
import java.util.Map;

/**
 * The {@link Backend} of one OpenCL device: the shared {@link KernelBackend} over a {@link ClContext} (one
 * context, one in-order queue, the kernels of cortado-kernels-cl built on first use through the disk cache), with
 * GEMM on the tiled kernel or CLBlast. Ops only enqueue; {@code download} is the one call that waits.
 */
public final class OpenClBackend extends KernelBackend {

    OpenClBackend(ClDevice device, DeviceInfo probed, GemmChoice gemmChoice, ProgramCache cache) {
        this(new ClContext(device, cache), probed, gemmChoice);
    }

    private OpenClBackend(ClContext context, DeviceInfo probed, GemmChoice gemmChoice) {
        super(context, gemmChoice, gemmLine -> new DeviceInfo(probed.device(), probed.name(), probed.accelerator(),
                probed.memoryBytes(), probed.computeUnits(), null,
                OpenClProbe.details(context.device(), gemmChoice, gemmLine)));
    }

    private ClContext context() {
        return (ClContext) kernelDevice();
    }

    /** The programs built so far, for tests. */
    Programs programs() {
        return context().programs();
    }

    /** A tiled GEMM engine with other tiles on this backend, for tests. */
    TiledGemm tiledGemm(GemmTiles tiles) {
        return new TiledGemm(launcher(), tiles);
    }

    ClDevice device() {
        return context().device();
    }

    /** OpenCL objects this backend holds now, by kind; empty after {@link #close()}. */
    Map<ClObjects.Kind, Long> liveObjects() {
        return context().objects().live();
    }
}
