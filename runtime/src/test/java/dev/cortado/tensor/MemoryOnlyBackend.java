package dev.cortado.tensor;

import dev.cortado.backend.Activation;
import dev.cortado.backend.AdamStep;
import dev.cortado.backend.Backend;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.BufferPool;
import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.DeviceBuffer;
import dev.cortado.backend.DropoutSpec;
import dev.cortado.backend.GemmSpec;
import dev.cortado.backend.PoolSpec;
import dev.cortado.backend.SgdStep;
import dev.cortado.backend.TransferCounter;
import dev.cortado.backend.TransferStats;
import dev.cortado.backend.UnaryOp;
import dev.cortado.device.DeviceInfo;
import java.util.Arrays;

/**
 * A test double for the runtime's own tests: host arrays behind a real {@link BufferPool}, with the memory ops
 * and nothing else. Every compute op throws, so a test that needs one fails loudly instead of using a fake result.
 */
public final class MemoryOnlyBackend extends Backend {

    /** Host memory. */
    private record HostBuffer(float[] data) implements DeviceBuffer {
        @Override
        public long capacity() {
            return data.length;
        }
    }

    private final DeviceInfo info;
    private final TransferCounter transfers = new TransferCounter();
    private final BufferPool pool = new BufferPool(new BufferPool.Allocator() {
        @Override
        public DeviceBuffer allocate(long floats) {
            return new HostBuffer(new float[Math.toIntExact(floats)]);
        }

        @Override
        public void release(DeviceBuffer buffer) {
            // The garbage collector frees host arrays.
        }
    });

    public MemoryOnlyBackend(DeviceInfo info) {
        this.info = info;
    }

    private static float[] data(Tensor t) {
        return ((HostBuffer) t.buffer()).data();
    }

    private static int offset(Tensor t) {
        return Math.toIntExact(t.offset());
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    @Override
    public BufferPool pool() {
        return pool;
    }

    @Override
    protected void doUpload(float[] src, int srcOffset, Tensor dst) {
        transfers.upload(dst.size());
        System.arraycopy(src, srcOffset, data(dst), offset(dst), Math.toIntExact(dst.size()));
    }

    @Override
    protected void doDownload(Tensor src, float[] dst, int dstOffset) {
        transfers.download(src.size());
        System.arraycopy(data(src), offset(src), dst, dstOffset, Math.toIntExact(src.size()));
    }

    @Override
    public TransferStats transfers() {
        return transfers.stats();
    }

    @Override
    protected void doCopy(Tensor src, Tensor dst) {
        System.arraycopy(data(src), offset(src), data(dst), offset(dst), Math.toIntExact(src.size()));
    }

    @Override
    protected void doFill(Tensor dst, float value) {
        Arrays.fill(data(dst), offset(dst), offset(dst) + Math.toIntExact(dst.size()), value);
    }

    private static UnsupportedOperationException computeOp() {
        return new UnsupportedOperationException("MemoryOnlyBackend has memory ops only");
    }

    @Override
    protected void doGemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        throw computeOp();
    }

    @Override
    protected void doIm2col(ConvGeometry g, Tensor image, Tensor columns) {
        throw computeOp();
    }

    @Override
    protected void doCol2im(ConvGeometry g, Tensor columns, Tensor image) {
        throw computeOp();
    }

    @Override
    protected void doSwapLeadingAxes(int a, int b, int c, Tensor src, Tensor dst) {
        throw computeOp();
    }

    @Override
    protected void doMap(UnaryOp op, Tensor x, Tensor y) {
        throw computeOp();
    }

    @Override
    protected void doAffine(float scale, Tensor x, float shift, Tensor y) {
        throw computeOp();
    }

    @Override
    protected void doZip(BinaryOp op, Tensor a, Tensor b, int bInner, Tensor out) {
        throw computeOp();
    }

    @Override
    protected void doAxpby(float alpha, Tensor x, float beta, Tensor y) {
        throw computeOp();
    }

    @Override
    protected void doSum(Tensor x, int outer, int length, int inner, float alpha, float beta, Tensor out) {
        throw computeOp();
    }

    @Override
    protected void doArgmax(Tensor x, int rows, int cols, Tensor out) {
        throw computeOp();
    }

    @Override
    protected void doSoftmaxCrossEntropyForward(Tensor logits, Tensor labels, float smoothing, Tensor probs,
                                                Tensor rowLoss) {
        throw computeOp();
    }

    @Override
    protected void doSoftmaxCrossEntropyBackward(Tensor probs, Tensor labels, float smoothing, float scale,
                                                 Tensor dLogits) {
        throw computeOp();
    }

    @Override
    protected void doPoolForward(PoolSpec spec, Tensor x, Tensor y) {
        throw computeOp();
    }

    @Override
    protected void doPoolBackward(PoolSpec spec, Tensor x, Tensor dy, Tensor dx) {
        throw computeOp();
    }

    @Override
    protected void doActivationForward(Activation f, float alpha, Tensor x, Tensor y) {
        throw computeOp();
    }

    @Override
    protected void doActivationBackward(Activation f, float alpha, Tensor from, Tensor dy, Tensor dx) {
        throw computeOp();
    }

    @Override
    protected void doDropout(DropoutSpec spec, Tensor in, Tensor out) {
        throw computeOp();
    }

    @Override
    protected void doSgdUpdate(SgdStep step, Tensor param, Tensor grad, Tensor velocity) {
        throw computeOp();
    }

    @Override
    protected void doAdamUpdate(AdamStep step, Tensor param, Tensor grad, Tensor m, Tensor v) {
        throw computeOp();
    }

    @Override
    protected void doClose() {
        pool.close();
    }
}
