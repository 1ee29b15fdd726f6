package dev.cortado.kernel;

/** A built kernel of a {@link KernelDevice}; the device that built it knows what else it holds. */
public interface Kernel {

    /** The kernel's name in its file, e.g. {@code gemm_tiled}. */
    String name();

    /** The largest work-group this kernel can be launched with on its device. */
    long maxWorkGroupSize();
}
