/**
 * JMH benchmarks of the CPU backend's kernels (SGEMM, the built-in models' products, LeNet-5's convolutions) and
 * the tool that turns their results into GFLOP/s.
 */
package dev.cortado.benchmarks;
