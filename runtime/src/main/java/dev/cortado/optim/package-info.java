/**
 * Optimizers with PyTorch's semantics (SGD with momentum, Adam and AdamW), each updating a parameter with one
 * fused backend op, and learning-rate schedules.
 */
package dev.cortado.optim;
