/**
 * The backend shared by every device that runs the cortado-kernels-cl kernels: which kernel each op launches,
 * with which arguments and geometry, and which GEMM engine runs, written once over
 * {@link dev.cortado.kernel.KernelDevice}, which the OpenCL and CUDA backends implement. Also the tiled GEMM, the
 * program cache on disk and the staging of uploads.
 */
package dev.cortado.kernel;
