/**
 * Tensors: float32 arrays with a {@link dev.cortado.tensor.Shape} that live on one backend's device and move to
 * and from the host only when asked.
 */
package dev.cortado.tensor;
