package dev.cortado.cli;

import dev.cortado.backend.Activation;
import dev.cortado.backend.AdamStep;
import dev.cortado.backend.Backend;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.BufferPool;
import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.DropoutSpec;
import dev.cortado.backend.GemmSpec;
import dev.cortado.backend.PoolSpec;
import dev.cortado.backend.SgdStep;
import dev.cortado.backend.TransferStats;
import dev.cortado.backend.UnaryOp;
import dev.cortado.device.DeviceInfo;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/**
 * A backend that behaves like the one it wraps except for two faults, as a buggy driver would: {@code affine}
 * adds a small error, and {@code argmax} throws. Tensors are the wrapped backend's.
 */
final class BrokenBackend implements Backend {
    private final Backend inner;

    BrokenBackend(Backend inner) {
        this.inner = inner;
    }

    @Override
    public DeviceInfo info() {
        return inner.info();
    }

    @Override
    public BufferPool pool() {
        return inner.pool();
    }

    @Override
    public Tensor allocate(Shape shape) {
        return inner.allocate(shape);
    }

    @Override
    public void upload(float[] src, int srcOffset, Tensor dst) {
        inner.upload(src, srcOffset, dst);
    }

    @Override
    public void download(Tensor src, float[] dst, int dstOffset) {
        inner.download(src, dst, dstOffset);
    }

    @Override
    public TransferStats transfers() {
        return inner.transfers();
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        inner.copy(src, dst);
    }

    @Override
    public void fill(Tensor dst, float value) {
        inner.fill(dst, value);
    }

    @Override
    public void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        inner.gemm(spec, a, b, c);
    }

    @Override
    public void im2col(ConvGeometry g, Tensor image, Tensor columns) {
        inner.im2col(g, image, columns);
    }

    @Override
    public void col2im(ConvGeometry g, Tensor columns, Tensor image) {
        inner.col2im(g, columns, image);
    }

    @Override
    public void swapLeadingAxes(int a, int b, int c, Tensor src, Tensor dst) {
        inner.swapLeadingAxes(a, b, c, src, dst);
    }

    @Override
    public void map(UnaryOp op, Tensor x, Tensor y) {
        inner.map(op, x, y);
    }

    @Override
    public void affine(float scale, Tensor x, float shift, Tensor y) {
        inner.affine(scale, x, shift + 1e-3f, y);
    }

    @Override
    public void zip(BinaryOp op, Tensor a, Tensor b, int bInner, Tensor out) {
        inner.zip(op, a, b, bInner, out);
    }

    @Override
    public void axpby(float alpha, Tensor x, float beta, Tensor y) {
        inner.axpby(alpha, x, beta, y);
    }

    @Override
    public void sum(Tensor x, int outer, int length, int inner2, float alpha, float beta, Tensor out) {
        inner.sum(x, outer, length, inner2, alpha, beta, out);
    }

    @Override
    public void argmax(Tensor x, int rows, int cols, Tensor out) {
        throw new IllegalStateException("CL_INVALID_KERNEL_ARGS");
    }

    @Override
    public void softmaxCrossEntropyForward(Tensor logits, Tensor labels, Tensor probs, Tensor rowLoss) {
        inner.softmaxCrossEntropyForward(logits, labels, probs, rowLoss);
    }

    @Override
    public void softmaxCrossEntropyBackward(Tensor probs, Tensor labels, float scale, Tensor dLogits) {
        inner.softmaxCrossEntropyBackward(probs, labels, scale, dLogits);
    }

    @Override
    public void poolForward(PoolSpec spec, Tensor x, Tensor y) {
        inner.poolForward(spec, x, y);
    }

    @Override
    public void poolBackward(PoolSpec spec, Tensor x, Tensor dy, Tensor dx) {
        inner.poolBackward(spec, x, dy, dx);
    }

    @Override
    public void activationForward(Activation f, float alpha, Tensor x, Tensor y) {
        inner.activationForward(f, alpha, x, y);
    }

    @Override
    public void activationBackward(Activation f, float alpha, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        inner.activationBackward(f, alpha, x, y, dy, dx);
    }

    @Override
    public void dropoutForward(DropoutSpec spec, Tensor x, Tensor y) {
        inner.dropoutForward(spec, x, y);
    }

    @Override
    public void dropoutBackward(DropoutSpec spec, Tensor dy, Tensor dx) {
        inner.dropoutBackward(spec, dy, dx);
    }

    @Override
    public void sgdUpdate(SgdStep step, Tensor param, Tensor grad, Tensor velocity) {
        inner.sgdUpdate(step, param, grad, velocity);
    }

    @Override
    public void adamUpdate(AdamStep step, Tensor param, Tensor grad, Tensor m, Tensor v) {
        inner.adamUpdate(step, param, grad, m, v);
    }

    @Override
    public void close() {
        inner.close();
    }
}
