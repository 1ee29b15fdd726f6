package dev.cortado.kernel;

import dev.cortado.backend.GemmSpec;
import dev.cortado.tensor.Tensor;

/**
 * One way of running GEMM on a device: the shared {@link TiledGemm} kernel or a device API's library. The backend
 * checks the arguments, and that the tensors are its own, before calling it. It calls no engine for an empty C
 * ({@code m = 0} or {@code n = 0}), and sends products with {@code k = 0} (which libraries reject) to its
 * {@link TiledGemm}, so a library engine sees only {@code m, n, k >= 1}.
 */
public interface GemmEngine extends AutoCloseable {

    /** Queues {@code C = alpha * op(A) * op(B) + beta * C} for the whole batch (sizes already checked, m, n >= 1). */
    void run(GemmSpec spec, Tensor a, Tensor b, Tensor c);

    /** For device details, e.g. "tiled kernel, 64x64x16 tiles, ...". */
    String describe();

    /** Releases what the engine holds on the device. */
    @Override
    void close();
}
