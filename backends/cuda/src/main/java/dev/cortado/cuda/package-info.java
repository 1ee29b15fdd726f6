/**
 * The CUDA backend over JCuda: probing devices ({@code cuda:N}), kernels compiled by NVRTC or taken from the PTX
 * bundled in the jar, and GEMM on cuBLAS or the tiled kernel.
 */
package dev.cortado.cuda;
