package dev.cortado.cpu.gemm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

/**
 * The GEMMs under test, by name, so parameterized tests read well and cover each: the Vector API kernel and the
 * scalar one, both blocked for the caches the blocking was tuned on (so that the tests' awkward sizes sit around
 * the same block edges on every machine), and the Vector API kernel blocked for the smallest caches
 * {@link CacheSizes} admits, whose blocks small products already cross.
 */
final class Kernels {
    static final String VECTOR = "vector";
    static final String SCALAR = "scalar";
    static final String VECTOR_SMALL_CACHES = "vector, small caches";
    static final List<String> ALL = List.of(VECTOR, SCALAR, VECTOR_SMALL_CACHES);
    static final CacheSizes SMALL_CACHES = new CacheSizes(0, 0, 0);

    private Kernels() {
    }

    /** A GEMM by name; skips the test, with the reason, where the Vector API kernel is unavailable. */
    static BlockedGemm gemm(String name) {
        if (name.equals(SCALAR)) {
            ScalarKernel scalar = new ScalarKernel();
            return new BlockedGemm(scalar, Blocking.of(scalar, CacheSizes.DEFAULT));
        }
        MicroKernel vector = VectorKernel.createIfUseful();
        assumeTrue(vector != null, "the Vector API has no hardware vectors of 4 floats or more on this machine");
        return new BlockedGemm(vector, Blocking.of(vector, name.equals(VECTOR) ? CacheSizes.DEFAULT : SMALL_CACHES));
    }
}
