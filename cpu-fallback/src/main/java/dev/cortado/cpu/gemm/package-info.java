/**
 * Single-precision GEMM on Java arrays for the CPU backend: cache-blocked and packed products around
 * register-blocked micro-kernels (Vector API or scalar), spread over the backend's thread pool.
 */
package dev.cortado.cpu.gemm;
