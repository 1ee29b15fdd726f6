package dev.cortado.cpu.gemm;

import dev.cortado.backend.GemmSpec;
import dev.cortado.cpu.VectorModule;

/**
 * Single-precision GEMM on Java arrays, as {@link GemmSpec} defines it: cache-blocked for this machine's caches
 * ({@link Blocking}), packed and spread over the {@link dev.cortado.cpu.Parallel} pool. The micro-kernel uses the
 * Vector API, as wide as the hardware's vectors, when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, and a scalar kernel otherwise.
 */
public final class Sgemm {
    private static final CacheSizes CACHES = CacheSizes.ofThisMachine();
    private static final BlockedGemm GEMM = forKernel(fastestKernel());

    private Sgemm() {
    }

    /** Which kernel serves GEMM on this JVM and how it blocks for which caches, for {@code cortado devices}. */
    public static String describe() {
        MicroKernel kernel = GEMM.kernel();
        String blocking = "; " + GEMM.blocking().describe() + ", for " + CACHES.describe();
        if (kernel instanceof ScalarKernel && VectorModule.present()) {
            return kernel.describe() + " (the Vector API has no hardware vectors of 4 floats or more here)"
                    + blocking;
        }
        return kernel.describe() + blocking;
    }

    /** The L2 cache of one core as GEMM blocks for it, for callers that size their own working sets to fit. */
    public static long l2Bytes() {
        return CACHES.l2();
    }

    /**
     * Computes the product; matrices start at the given offsets of their arrays.
     *
     * @throws IllegalArgumentException if a matrix of the batch reaches past its array
     */
    public static void compute(GemmSpec s, float[] a, int aOffset, float[] b, int bOffset, float[] c,
                               int cOffset) {
        GEMM.compute(s, a, aOffset, b, bOffset, c, cOffset);
    }

    /** GEMM on this kernel, blocked for this machine's caches. */
    static BlockedGemm forKernel(MicroKernel kernel) {
        return new BlockedGemm(kernel, Blocking.of(kernel, CACHES));
    }

    /** The Vector API kernel where its module is present (only then is its class loaded), else the scalar one. */
    private static MicroKernel fastestKernel() {
        MicroKernel vector = VectorModule.present() ? VectorKernel.createIfUseful() : null;
        return vector != null ? vector : new ScalarKernel();
    }
}
