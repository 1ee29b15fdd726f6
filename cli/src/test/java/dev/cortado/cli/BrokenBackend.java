package dev.cortado.cli;

import dev.cortado.cpu.CpuBackend;
import dev.cortado.tensor.Tensor;

/**
 * The CPU backend with two faults, as a buggy driver would have: {@code affine} adds a small error, and
 * {@code argmax} throws.
 */
final class BrokenBackend extends CpuBackend {

    @Override
    protected void doAffine(float scale, Tensor x, float shift, Tensor y) {
        super.doAffine(scale, x, shift + 1e-3f, y);
    }

    @Override
    protected void doArgmax(Tensor x, int rows, int cols, Tensor out) {
        throw new IllegalStateException("CL_INVALID_KERNEL_ARGS");
    }
}
