/**
 * The OpenCL backend over JOCL: probing platforms and devices ({@code opencl:N}), building the kernels per device
 * through the program cache, and GEMM on the tiled kernel or CLBlast.
 */
package dev.cortado.opencl;
