package dev.cortado.kernel;

/**
 * The facts about a device by which work-group sizes and GEMM tiles are chosen.
 *
 * @param type the kind of processor
 * @param vendor the vendor as the driver names it (matched case-insensitively: "NVIDIA", "AMD", "Intel")
 * @param maxWorkGroupSize the most work-items (CUDA: threads) in one group
 * @param maxWorkItemSizes the most work-items per group in each of the 3 dimensions
 * @param localMemBytes local (CUDA: static shared) memory one group may use
 */
public record KernelDeviceFacts(Type type, String vendor, long maxWorkGroupSize, long[] maxWorkItemSizes,
                                long localMemBytes) {

    /** Kinds of processor, as far as tile choice cares. */
    public enum Type {
        /** A CPU running the kernels (PoCL, Intel's CPU runtime). */
        CPU,
        /** A GPU. */
        GPU,
        /** Any other device the driver calls an accelerator. */
        ACCELERATOR
    }

    /** Checks that there are 3 work-item sizes and keeps a copy of them. */
    public KernelDeviceFacts {
        if (maxWorkItemSizes.length != 3) {
            throw new IllegalArgumentException("expected 3 work-item sizes, got " + maxWorkItemSizes.length);
        }
        maxWorkItemSizes = maxWorkItemSizes.clone();
    }

    /** A copy of the most work-items per group in each of the 3 dimensions. */
    @Override
    public long[] maxWorkItemSizes() {
        return maxWorkItemSizes.clone();
    }
}
