package dev.cortado.cpu.gemm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The kernels under test, by name, so parameterized tests read well and cover both. */
final class Kernels {
    static final String VECTOR = "vector";
    static final String SCALAR = "scalar";

    private Kernels() {
    }

    /** A GEMM on the named kernel; skips the test, with the reason, where the Vector API kernel is unavailable. */
    static BlockedGemm gemm(String name) {
        if (name.equals(SCALAR)) {
            return new BlockedGemm(new ScalarKernel());
        }
        MicroKernel vector = VectorKernel.createIfUseful();
        assumeTrue(vector != null, "the Vector API has no hardware vectors of 4 floats or more on this machine");
        return new BlockedGemm(vector);
    }
}
