/*
 * Cortado CUDA prelude: lets NVRTC (or nvcc) compile the kernels-cl OpenCL C sources unchanged.
 * Put this text before a kernel file. It maps exactly the subset of OpenCL C that the kernels may use
 * (see README.md); anything outside that subset is meant to fail to compile here.
 * It includes no header, so NVRTC needs no include path.
 */
#ifndef CORTADO_CUDA_PRELUDE_H
#define CORTADO_CUDA_PRELUDE_H

/* Address-space and function qualifiers. */
#define __kernel extern "C" __global__
#define __global
#define __local __shared__

/* Types: the dialect uses 32-bit uint, never ulong (its width differs between OpenCL and CUDA hosts). */
typedef unsigned int uint;

/* Work-item functions. OpenCL returns size_t; the kernels cast to int or uint. */
__device__ __forceinline__ unsigned int cortado_dim3_get(const dim3 v, int d) {
    return d == 0 ? v.x : (d == 1 ? v.y : v.z);
}
__device__ __forceinline__ unsigned int cortado_uint3_get(const uint3 v, int d) {
    return d == 0 ? v.x : (d == 1 ? v.y : v.z);
}
__device__ __forceinline__ unsigned int get_local_id(int d) { return cortado_uint3_get(threadIdx, d); }
__device__ __forceinline__ unsigned int get_group_id(int d) { return cortado_uint3_get(blockIdx, d); }
__device__ __forceinline__ unsigned int get_local_size(int d) { return cortado_dim3_get(blockDim, d); }
__device__ __forceinline__ unsigned int get_num_groups(int d) { return cortado_dim3_get(gridDim, d); }
__device__ __forceinline__ unsigned int get_global_id(int d) {
    return get_group_id(d) * get_local_size(d) + get_local_id(d);
}
__device__ __forceinline__ unsigned int get_global_size(int d) {
    return get_num_groups(d) * get_local_size(d);
}

/* Synchronisation: the kernels only ever wait on local memory. */
#define CLK_LOCAL_MEM_FENCE 1
#define barrier(flags) __syncthreads()

/* Built-in math on float, mapped to the single-precision CUDA functions. */
#define exp(x) expf(x)
#define log(x) logf(x)
#define sqrt(x) sqrtf(x)
#define rsqrt(x) rsqrtf(x)
#define fabs(x) fabsf(x)
#define fmax(a, b) fmaxf(a, b)
#define fmin(a, b) fminf(a, b)
#define tanh(x) tanhf(x)
#define erfc(x) erfcf(x)

/* NaN as a float constant (OpenCL C has it built in; nvcc's math headers may define it too). */
#ifndef NAN
#define NAN __int_as_float(0x7fffffff)
#endif

/* Integer built-ins (min and max on int exist under the same names in CUDA). */
#define mul_hi(a, b) __umulhi(a, b)

#endif
