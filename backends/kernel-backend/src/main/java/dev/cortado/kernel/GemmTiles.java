package dev.cortado.kernel;

import java.util.Locale;

/**
 * Compile-time tile sizes of {@code gemm.cl}, chosen per kind of device from a small table so that a GPU is never
 * served tiles tuned for a CPU. An entry the device cannot run (too many work-items or too much local memory)
 * falls back to {@link #SAFE}. The entries serve both device APIs: an NVIDIA GPU gets the same tiles under OpenCL
 * and CUDA.
 *
 * @param kind the table entry's name, shown in device details
 * @param tileM rows of C per work-group
 * @param tileN columns of C per work-group
 * @param tileK depth of each staged slice of A and B
 * @param workM rows of C per work-item
 * @param workN columns of C per work-item
 * @param contiguousColumns a work-item's columns are adjacent (CPUs vectorize them) rather than interleaved with
 *     its neighbours' (GPUs coalesce those)
 */
public record GemmTiles(String kind, int tileM, int tileN, int tileK, int workM, int workN, boolean contiguousColumns) {

    /** Small enough for any OpenCL device: 64 work-items, about 2 KiB of local memory. */
    public static final GemmTiles SAFE = new GemmTiles("safe default", 32, 32, 8, 4, 4, false);
    /** CPU devices (PoCL, Intel's CPU runtime): measured on PoCL, see the module README. */
    public static final GemmTiles CPU = new GemmTiles("cpu", 64, 64, 16, 8, 16, true);
    /** NVIDIA GPUs: 256 work-items with 8x8 outputs each, 16.5 KiB of local memory. */
    public static final GemmTiles NVIDIA_GPU = new GemmTiles("nvidia gpu", 128, 128, 16, 8, 8, false);
    /** AMD GPUs: 256 work-items (four wavefronts) with 4x4 outputs each. */
    public static final GemmTiles AMD_GPU = new GemmTiles("amd gpu", 64, 64, 16, 4, 4, false);
    /** Intel GPUs: 256 work-items, a shallower slice for their smaller local memory. */
    public static final GemmTiles INTEL_GPU = new GemmTiles("intel gpu", 64, 64, 8, 4, 4, false);

    /** Checks that the work per item divides the tile in both dimensions. */
    public GemmTiles {
        if (tileM % workM != 0 || tileN % workN != 0) {
            throw new IllegalArgumentException("GEMM tile " + tileM + "x" + tileN + " is not a multiple of the "
                    + workM + "x" + workN + " work per item");
        }
    }

    /** The table entry for a device, before checking it against the device's limits. */
    private static GemmTiles tableEntry(KernelDeviceFacts device) {
        if (device.type() != KernelDeviceFacts.Type.GPU) {
            return device.type() == KernelDeviceFacts.Type.ACCELERATOR ? SAFE : CPU;
        }
        String vendor = device.vendor().toLowerCase(Locale.ROOT);
        if (vendor.contains("nvidia")) {
            return NVIDIA_GPU;
        }
        if (vendor.contains("advanced micro devices") || vendor.contains("amd")) {
            return AMD_GPU;
        }
        if (vendor.contains("intel")) {
            return INTEL_GPU;
        }
        return SAFE;
    }

    /** The table entry if the device can run it, else {@link #SAFE}. */
    public static GemmTiles forDevice(KernelDeviceFacts device) {
        GemmTiles entry = tableEntry(device);
        return entry.fits(device) ? entry : SAFE;
    }

    /** Work-items per group along the rows of C. */
    public int threadsM() {
        return tileM / workM;
    }

    /** Work-items per group along the columns of C. */
    public int threadsN() {
        return tileN / workN;
    }

    /** Work-items per group. */
    public int threads() {
        return threadsM() * threadsN();
    }

    /** Local memory of both staged slices, padding included. */
    public long localBytes() {
        return 4L * tileK * (tileM + 1 + tileN + 1);
    }

    /** Whether the device allows this many work-items per group and this much local memory. */
    public boolean fits(KernelDeviceFacts device) {
        long[] items = device.maxWorkItemSizes();
        return threads() <= device.maxWorkGroupSize() && threadsN() <= items[0] && threadsM() <= items[1]
                && localBytes() <= device.localMemBytes();
    }

    /** The -D options for gemm.cl, transposes included. */
    public String buildOptions(boolean transA, boolean transB) {
        return "-DTILE_M=" + tileM + " -DTILE_N=" + tileN + " -DTILE_K=" + tileK + " -DWORK_M=" + workM
                + " -DWORK_N=" + workN + " -DWORK_N_CONTIGUOUS=" + (contiguousColumns ? 1 : 0) + " -DTRANS_A="
                + (transA ? 1 : 0) + " -DTRANS_B=" + (transB ? 1 : 0);
    }

    /** e.g. "128x128x16 tiles, 8x8 per work-item (nvidia gpu)". */
    public String describe() {
        return tileM + "x" + tileN + "x" + tileK + " tiles, " + workM + "x" + workN + " per work-item"
                + (contiguousColumns ? " with adjacent columns" : "") + " (" + kind + ")";
    }
}
