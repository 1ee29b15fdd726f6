/**
 * The device-independent op contract: {@link dev.cortado.backend.Backend}, whose public methods are the ops every
 * device runs (GEMM, element-wise maps, convolution unfolding, pooling, losses, fused optimizer steps), the value
 * types that describe those ops, and the per-device buffer pool. A backend module implements {@code Backend};
 * everything above it calls nothing else.
 */
package dev.cortado.backend;
