package dev.cortado.kernel;

/**
 * One build of a kernel file: the file and its {@code -D} options, as {@link KernelDevice#kernel} receives them.
 *
 * @param file e.g. {@code gemm.cl}
 * @param options e.g. {@code -DREDUCE_GROUP=256}; empty for none
 */
public record KernelVariant(String file, String options) {
}
