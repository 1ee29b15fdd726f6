package dev.cortado.kernel;

import dev.cortado.backend.GemmSpec;
import dev.cortado.tensor.Tensor;
import java.util.Arrays;

/**
 * GEMM on the project's kernel, {@code gemm.cl}, built once per transpose combination with the device's tiles.
 * If the driver cannot run a table entry's work-group (too many registers, say), the engine falls back to
 * {@link GemmTiles#SAFE} for good. It also takes every product with {@code k = 0} ({@code C = beta * C}), whatever
 * engine the backend runs otherwise.
 */
public final class TiledGemm implements GemmEngine {
    private final Launcher launcher;
    private GemmTiles tiles;
    /** The kernel of each transpose combination with {@link #tiles}, by {@link #index}; null until first used. */
    private final Kernel[] kernels = new Kernel[4];

    /** The engine over {@code launcher}'s device with {@code tiles} (tests pass any table entry). */
    public TiledGemm(Launcher launcher, GemmTiles tiles) {
        this.launcher = launcher;
        this.tiles = tiles;
    }

    @Override
    public void run(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        // First the kernel: building it may switch to the safe tiles, which the geometry below then uses.
        Kernel kernel = kernel(spec.transA(), spec.transB());
        boolean batched = spec.batch() > 1;
        long groupsN = (spec.n() + tiles.tileN() - 1) / tiles.tileN();
        long groupsM = (spec.m() + tiles.tileM() - 1) / tiles.tileM();
        launcher.call(kernel)
                .ints(spec.m(), spec.n(), spec.k())
                .floats(spec.alpha(), spec.beta())
                .tensor(a).ints(batched ? Math.toIntExact(spec.strideA()) : 0)
                .tensor(b).ints(batched ? Math.toIntExact(spec.strideB()) : 0)
                .tensor(c).ints(batched ? Math.toIntExact(spec.strideC()) : 0)
                .run(new long[] {groupsN * tiles.threadsN(), groupsM * tiles.threadsM(), spec.batch()},
                        new long[] {tiles.threadsN(), tiles.threadsM(), 1});
    }

    private static int index(boolean transA, boolean transB) {
        return (transA ? 2 : 0) + (transB ? 1 : 0);
    }

    private Kernel kernel(boolean transA, boolean transB) {
        Kernel kernel = kernels[index(transA, transB)];
        return kernel != null ? kernel : build(transA, transB);
    }

    private Kernel build(boolean transA, boolean transB) {
        Kernel kernel = launcher.kernel("gemm.cl", tiles.buildOptions(transA, transB), "gemm_tiled");
        if (kernel.maxWorkGroupSize() >= tiles.threads()) {
            kernels[index(transA, transB)] = kernel;
            return kernel;
        }
        if (tiles == GemmTiles.SAFE) {
            throw new IllegalStateException("gemm_tiled cannot run even " + GemmTiles.SAFE.threads()
                    + " work-items per group on " + launcher.device().name() + " (the driver allows "
                    + kernel.maxWorkGroupSize() + ")");
        }
        tiles = GemmTiles.SAFE;
        Arrays.fill(kernels, null);
        return build(transA, transB);
    }

    /** The GEMM line of device details for the tiled kernel with {@code tiles}. */
    public static String describe(GemmTiles tiles) {
        return "tiled kernel, " + tiles.describe();
    }

    @Override
    public String describe() {
        return describe(tiles);
    }

    @Override
    public void close() {
        // The kernels belong to the device, which the backend closes.
    }
}
