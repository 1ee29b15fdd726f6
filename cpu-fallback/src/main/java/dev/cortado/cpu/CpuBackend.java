package dev.cortado.cpu;

import dev.cortado.backend.Activation;
import dev.cortado.backend.AdamStep;
import dev.cortado.backend.Backend;
import dev.cortado.backend.BatchNormSpec;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.BufferPool;
import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
import dev.cortado.backend.DropoutSpec;
import dev.cortado.backend.GemmSpec;
import dev.cortado.backend.PoolSpec;
import dev.cortado.backend.SgdStep;
import dev.cortado.backend.TransferCounter;
import dev.cortado.backend.TransferStats;
import dev.cortado.backend.UnaryOp;
import dev.cortado.cpu.gemm.Sgemm;
import dev.cortado.device.DeviceInfo;
import dev.cortado.tensor.Tensor;

/**
 * The pure-Java backend: tensors are float arrays on the heap, and every op runs on all cores through
 * {@link Parallel}. This class only checks arguments and hands arrays and offsets to one class per concern
 * ({@link ElementwiseOps}, {@link ReductionOps}, {@link ConvolutionOps}, {@link ImageConvolution},
 * {@link BatchNormOps}, {@link SoftmaxCrossEntropyOps}, {@link PoolingOps}, {@link ActivationOps}, {@link DropoutOps},
 * {@link OptimizerOps}; GEMM is {@link Sgemm}).
 * Ops run synchronously: when a method returns, its output is written. Not final only so that tests can inject a
 * device's faults into one op.
 */
public class CpuBackend extends Backend {
    private final DeviceInfo info = describe();
    private final BufferPool pool = new BufferPool(new CpuAllocator());
    private final TransferCounter transfers = new TransferCounter();

    /** Opens the backend; warns once per JVM when the Vector API module is missing ({@link VectorModule}). */
    public CpuBackend() {
        VectorModule.warnIfAbsent();
    }

    /** The CPU as {@code cortado devices} lists it: processor model, heap size, threads and GEMM kernel. */
    public static DeviceInfo describe() {
        return CpuDescription.describe();
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
    public TransferStats transfers() {
        return transfers.stats();
    }

    // ---- memory ------------------------------------------------------------------------------------------

    @Override
    protected void doUpload(float[] src, int srcOffset, Tensor dst) {
        transfers.upload(dst.size());
        ElementwiseOps.copy(src, srcOffset, data(dst), offset(dst), elements(dst));
    }

    @Override
    protected void doDownload(Tensor src, float[] dst, int dstOffset) {
        transfers.download(src.size());
        ElementwiseOps.copy(data(src), offset(src), dst, dstOffset, elements(src));
    }

    @Override
    protected void doCopy(Tensor src, Tensor dst) {
        ElementwiseOps.copy(data(src), offset(src), data(dst), offset(dst), elements(src));
    }

    @Override
    protected void doFill(Tensor dst, float value) {
        ElementwiseOps.fill(data(dst), offset(dst), elements(dst), value);
    }

    // ---- linear algebra and convolution -------------------------------------------------------------------

    @Override
    protected void doGemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        Sgemm.compute(spec, data(a), offset(a), data(b), offset(b), data(c), offset(c));
    }

    @Override
    protected void doIm2col(ConvGeometry g, Tensor image, Tensor columns) {
        ConvolutionOps.im2col(g, data(image), offset(image), data(columns), offset(columns));
    }

    @Override
    protected void doCol2im(ConvGeometry g, Tensor columns, Tensor image) {
        ConvolutionOps.col2im(g, data(columns), offset(columns), data(image), offset(image));
    }

    @Override
    protected void doConvolutionForward(ConvSpec spec, Tensor x, Tensor w, Tensor y) {
        ImageConvolution.forward(spec, data(x), offset(x), data(w), offset(w), data(y), offset(y));
    }

    @Override
    protected void doConvolutionBackwardWeight(ConvSpec spec, Tensor x, Tensor dy, Tensor dw) {
        ImageConvolution.backwardWeight(spec, data(x), offset(x), data(dy), offset(dy), data(dw), offset(dw));
    }

    @Override
    protected void doConvolutionBackwardInput(ConvSpec spec, Tensor w, Tensor dy, Tensor dx) {
        ImageConvolution.backwardInput(spec, data(w), offset(w), data(dy), offset(dy), data(dx), offset(dx));
    }

    @Override
    protected void doBatchNormForward(BatchNormSpec spec, float epsilon, Tensor x, Tensor weight, Tensor bias,
                                      Tensor y, Tensor mean, Tensor variance) {
        if (!BatchNormOps.fits(spec)) {
            super.doBatchNormForward(spec, epsilon, x, weight, bias, y, mean, variance);
            return;
        }
        batchNormForward(spec, epsilon, false, x, weight, bias, y, mean, variance);
    }

    @Override
    protected void doBatchNormReluForward(BatchNormSpec spec, float epsilon, Tensor x, Tensor weight, Tensor bias,
                                          Tensor y, Tensor mean, Tensor variance) {
        if (!BatchNormOps.fits(spec)) {
            super.doBatchNormReluForward(spec, epsilon, x, weight, bias, y, mean, variance);
            return;
        }
        batchNormForward(spec, epsilon, true, x, weight, bias, y, mean, variance);
    }

    private void batchNormForward(BatchNormSpec spec, float epsilon, boolean relu, Tensor x, Tensor weight,
                                  Tensor bias, Tensor y, Tensor mean, Tensor variance) {
        BatchNormOps.forward(spec, epsilon, relu, data(x), offset(x), data(weight), offset(weight), data(bias),
                offset(bias), data(y), offset(y), data(mean), offset(mean), data(variance), offset(variance));
    }

    @Override
    protected void doBatchNormInference(BatchNormSpec spec, float epsilon, Tensor x, Tensor mean, Tensor variance,
                                        Tensor weight, Tensor bias, Tensor y) {
        if (!BatchNormOps.fits(spec)) {
            super.doBatchNormInference(spec, epsilon, x, mean, variance, weight, bias, y);
            return;
        }
        batchNormInference(spec, epsilon, false, x, mean, variance, weight, bias, y);
    }

    @Override
    protected void doBatchNormReluInference(BatchNormSpec spec, float epsilon, Tensor x, Tensor mean,
                                            Tensor variance, Tensor weight, Tensor bias, Tensor y) {
        if (!BatchNormOps.fits(spec)) {
            super.doBatchNormReluInference(spec, epsilon, x, mean, variance, weight, bias, y);
            return;
        }
        batchNormInference(spec, epsilon, true, x, mean, variance, weight, bias, y);
    }

    private void batchNormInference(BatchNormSpec spec, float epsilon, boolean relu, Tensor x, Tensor mean,
                                    Tensor variance, Tensor weight, Tensor bias, Tensor y) {
        BatchNormOps.inference(spec, epsilon, relu, data(x), offset(x), data(mean), offset(mean), data(variance),
                offset(variance), data(weight), offset(weight), data(bias), offset(bias), data(y), offset(y));
    }

    @Override
    protected void doBatchNormBackward(BatchNormSpec spec, Tensor x, Tensor mean, Tensor invStd, Tensor weight,
                                       Tensor dy, Tensor dWeight, Tensor dBias, Tensor dx) {
        if (!BatchNormOps.fits(spec)) {
            super.doBatchNormBackward(spec, x, mean, invStd, weight, dy, dWeight, dBias, dx);
            return;
        }
        BatchNormOps.backward(spec, data(x), offset(x), data(mean), offset(mean), data(invStd), offset(invStd),
                data(weight), offset(weight), data(dy), offset(dy), data(dWeight), offset(dWeight), data(dBias),
                offset(dBias), dx == null ? null : data(dx), dx == null ? 0 : offset(dx));
    }

    @Override
    protected void doSwapLeadingAxes(int a, int b, int c, Tensor src, Tensor dst) {
        ConvolutionOps.swapLeadingAxes(a, b, c, data(src), offset(src), data(dst), offset(dst));
    }

    // ---- element-wise --------------------------------------------------------------------------------------

    @Override
    protected void doMap(UnaryOp op, Tensor x, Tensor y) {
        ElementwiseOps.map(op, data(x), offset(x), data(y), offset(y), elements(x));
    }

    @Override
    protected void doAffine(float scale, Tensor x, float shift, Tensor y) {
        ElementwiseOps.affine(scale, data(x), offset(x), shift, data(y), offset(y), elements(x));
    }

    @Override
    protected void doZip(BinaryOp op, Tensor a, Tensor b, int bInner, Tensor out) {
        ElementwiseOps.zip(op, data(a), offset(a), elements(a), data(b), offset(b), elements(b), bInner,
                data(out), offset(out));
    }

    @Override
    protected void doAxpby(float alpha, Tensor x, float beta, Tensor y) {
        ElementwiseOps.axpby(alpha, data(x), offset(x), beta, data(y), offset(y), elements(x));
    }

    // ---- reductions ----------------------------------------------------------------------------------------

    @Override
    protected void doSum(Tensor x, int outer, int length, int inner, float alpha, float beta, Tensor out) {
        ReductionOps.sum(data(x), offset(x), outer, length, inner, alpha, beta, data(out), offset(out));
    }

    @Override
    protected void doArgmax(Tensor x, int rows, int cols, Tensor out) {
        ReductionOps.argmax(data(x), offset(x), rows, cols, data(out), offset(out));
    }

    // ---- fused softmax cross-entropy -------------------------------------------------------------------------

    @Override
    protected void doSoftmaxCrossEntropyForward(Tensor logits, Tensor labels, float smoothing, Tensor probs,
                                                Tensor rowLoss) {
        int rows = logits.shape().dim(0);
        SoftmaxCrossEntropyOps.forward(data(logits), offset(logits), data(labels), offset(labels), rows,
                logits.shape().dim(1), smoothing, data(probs), offset(probs), data(rowLoss), offset(rowLoss));
    }

    @Override
    protected void doSoftmaxCrossEntropyBackward(Tensor probs, Tensor labels, float smoothing, float scale,
                                                 Tensor dLogits) {
        SoftmaxCrossEntropyOps.backward(data(probs), offset(probs), data(labels), offset(labels),
                probs.shape().dim(0), probs.shape().dim(1), smoothing, scale, data(dLogits), offset(dLogits));
    }

    // ---- pooling -------------------------------------------------------------------------------------------

    @Override
    protected void doPoolForward(PoolSpec spec, Tensor x, Tensor y) {
        PoolingOps.forward(spec, data(x), offset(x), data(y), offset(y));
    }

    @Override
    protected void doPoolBackward(PoolSpec spec, Tensor x, Tensor dy, Tensor dx) {
        PoolingOps.backward(spec, x == null ? null : data(x), x == null ? 0 : offset(x), data(dy), offset(dy),
                data(dx), offset(dx));
    }

    // ---- activations and dropout -------------------------------------------------------------------------

    @Override
    protected void doActivationForward(Activation f, float alpha, Tensor x, Tensor y) {
        ActivationOps.forward(f, alpha, data(x), offset(x), data(y), offset(y), elements(x));
    }

    @Override
    protected void doActivationBackward(Activation f, float alpha, Tensor from, Tensor dy, Tensor dx) {
        ActivationOps.backward(f, alpha, data(from), offset(from), data(dy), offset(dy), data(dx), offset(dx),
                elements(dy));
    }

    @Override
    protected void doAddRelu(Tensor a, Tensor b, Tensor out) {
        ElementwiseOps.addRelu(data(a), offset(a), data(b), offset(b), data(out), offset(out), elements(a));
    }

    @Override
    protected void doDropout(DropoutSpec spec, Tensor in, Tensor out) {
        DropoutOps.apply(spec, data(in), offset(in), data(out), offset(out), elements(in));
    }

    // ---- fused optimizer updates -----------------------------------------------------------------------------

    @Override
    protected void doSgdUpdate(SgdStep step, Tensor param, Tensor grad, Tensor velocity) {
        OptimizerOps.sgd(step, data(param), offset(param), data(grad), offset(grad),
                velocity == null ? null : data(velocity), velocity == null ? 0 : offset(velocity),
                elements(param));
    }

    @Override
    protected void doAdamUpdate(AdamStep step, Tensor param, Tensor grad, Tensor m, Tensor v) {
        OptimizerOps.adam(step, data(param), offset(param), data(grad), offset(grad), data(m), offset(m), data(v),
                offset(v), elements(param));
    }

    /** Ops are synchronous, so nothing is pending: empties the pool's cache. */
    @Override
    protected void doClose() {
        pool.clear();
    }

    // ---- the arrays behind the tensors --------------------------------------------------------------------------

    /** The Java array behind a tensor of this backend. */
    private static float[] data(Tensor t) {
        return ((CpuBuffer) t.buffer()).data();
    }

    /** Where a tensor starts in its array; views start inside their owner's, so it fits an int. */
    private static int offset(Tensor t) {
        return (int) t.offset();
    }

    /** The element count of a tensor as an int; CPU tensors are Java arrays, so it always fits. */
    private static int elements(Tensor t) {
        return (int) t.size();
    }
}
