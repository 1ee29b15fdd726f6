package dev.cortado.cpu.gemm;

import dev.cortado.backend.GemmSpec;
import dev.cortado.cpu.VectorModule;

/**
 * Single-precision GEMM on Java arrays, as {@link GemmSpec} defines it: cache-blocked, packed and spread over
 * the {@link dev.cortado.cpu.Parallel} pool. The micro-kernel uses the Vector API when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, and a scalar kernel otherwise.
 */
public final class Sgemm {
    private static final BlockedGemm GEMM = new BlockedGemm(fastestKernel());

    private Sgemm() {
    }

    /** Which kernel serves GEMM on this JVM, for {@code cortado devices}. */
    public static String describe() {
        MicroKernel kernel = GEMM.kernel();
        if (kernel instanceof ScalarKernel && VectorModule.present()) {
            return kernel.describe() + " (the Vector API has no hardware vectors of 4 floats or more here)";
        }
        return kernel.describe();
    }

    /**
     * Computes the product; matrices start at the given offsets of their arrays.
     *
     * @throws IllegalArgumentException if a matrix of the batch reaches past its array, or a stride is negative
     */
    public static void compute(GemmSpec s, float[] a, int aOffset, float[] b, int bOffset, float[] c,
                               int cOffset) {
        GEMM.compute(s, a, aOffset, b, bOffset, c, cOffset);
    }

    /** The Vector API kernel where its module is present (only then is its class loaded), else the scalar one. */
    private static MicroKernel fastestKernel() {
        MicroKernel vector = VectorModule.present() ? VectorKernel.createIfUseful() : null;
        return vector != null ? vector : new ScalarKernel();
    }
}
