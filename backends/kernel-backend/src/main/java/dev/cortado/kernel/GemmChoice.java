package dev.cortado.kernel;

/** Which GEMM engine a kernel backend runs: the shared tiled kernel, or its device API's library. */
public enum GemmChoice {
    /** The project's {@code gemm.cl}, see {@link TiledGemm}. */
    TILED,
    /** The device API's library (CLBlast for OpenCL, cuBLAS for CUDA). */
    LIBRARY
}
