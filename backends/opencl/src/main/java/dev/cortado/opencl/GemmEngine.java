package dev.cortado.opencl;

import dev.cortado.backend.GemmSpec;
import dev.cortado.tensor.Tensor;

/** One way of running GEMM on the device; the backend checks the arguments before calling it. */
sealed interface GemmEngine extends AutoCloseable permits TiledGemm, ClBlastGemm {

    /** Enqueues {@code C = alpha * op(A) * op(B) + beta * C} for the whole batch (sizes already checked). */
    void run(GemmSpec spec, Tensor a, Tensor b, Tensor c);

    /** For device details, e.g. "tiled kernel, 64x64x16 tiles, ...". */
    String describe();

    /** Releases what the engine holds on the device. */
    @Override
    void close();
}
