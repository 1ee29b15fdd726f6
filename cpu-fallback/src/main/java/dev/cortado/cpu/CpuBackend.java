package dev.cortado.cpu;

import static dev.cortado.cpu.Check.data;
import static dev.cortado.cpu.Check.offset;

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
import dev.cortado.backend.TransferCounter;
import dev.cortado.backend.TransferStats;
import dev.cortado.backend.UnaryOp;
import dev.cortado.cpu.gemm.Sgemm;
import dev.cortado.device.DeviceInfo;
import dev.cortado.tensor.Tensor;

/**
 * The pure-Java backend: tensors are float arrays on the heap, and every op runs on all cores through
 * {@link Parallel}. This class only checks arguments and hands arrays and offsets to one class per concern
 * ({@link ElementwiseOps}, {@link ReductionOps}, {@link ConvolutionOps}, {@link SoftmaxCrossEntropyOps},
 * {@link PoolingOps}, {@link ActivationOps}, {@link DropoutOps}, {@link OptimizerOps}; GEMM is {@link Sgemm}).
 * Ops run synchronously: when a method returns, its output is written.
 */
public final class CpuBackend implements Backend {
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

    // ---- memory ------------------------------------------------------------------------------------------

    @Override
    public void upload(float[] src, int srcOffset, Tensor dst) {
        checkHostRange("upload", src, srcOffset, dst);
        transfers.upload(dst.size());
        ElementwiseOps.copy(src, srcOffset, data(dst), offset(dst), Check.elements(dst));
    }

    @Override
    public void download(Tensor src, float[] dst, int dstOffset) {
        checkHostRange("download", dst, dstOffset, src);
        transfers.download(src.size());
        ElementwiseOps.copy(data(src), offset(src), dst, dstOffset, Check.elements(src));
    }

    @Override
    public TransferStats transfers() {
        return transfers.stats();
    }

    private static void checkHostRange(String op, float[] host, int hostOffset, Tensor t) {
        if (hostOffset < 0 || hostOffset + t.size() > host.length) {
            throw new IllegalArgumentException(op + ": tensor " + t.shape() + " needs " + t.size()
                    + " floats from host offset " + hostOffset + ", the host array has " + host.length);
        }
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        Check.size("copy", "dst", dst, src.size());
        ElementwiseOps.copy(data(src), offset(src), data(dst), offset(dst), Check.elements(src));
    }

    @Override
    public void fill(Tensor dst, float value) {
        ElementwiseOps.fill(data(dst), offset(dst), Check.elements(dst), value);
    }

    // ---- linear algebra and convolution -------------------------------------------------------------------

    @Override
    public void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        if (spec.batch() > 1) {
            Check.min("gemm", "strideA", spec.strideA(), 0);
            Check.min("gemm", "strideB", spec.strideB(), 0);
        }
        Check.atLeast("gemm", "A", a, spec.extentA());
        Check.atLeast("gemm", "B", b, spec.extentB());
        Check.atLeast("gemm", "C", c, spec.extentC());
        Check.disjoint("gemm", "C", c, spec.extentC(), "A", a, spec.extentA());
        Check.disjoint("gemm", "C", c, spec.extentC(), "B", b, spec.extentB());
        Sgemm.compute(spec, data(a), offset(a), data(b), offset(b), data(c), offset(c));
    }

    @Override
    public void im2col(ConvGeometry g, Tensor image, Tensor columns) {
        Check.size("im2col", "image", image, g.imageSize());
        Check.size("im2col", "columns", columns, g.columnRows() * g.columnCols());
        ConvolutionOps.im2col(g, data(image), offset(image), data(columns), offset(columns));
    }

    @Override
    public void col2im(ConvGeometry g, Tensor columns, Tensor image) {
        Check.size("col2im", "columns", columns, g.columnRows() * g.columnCols());
        Check.size("col2im", "image", image, g.imageSize());
        ConvolutionOps.col2im(g, data(columns), offset(columns), data(image), offset(image));
    }

    @Override
    public void swapLeadingAxes(int a, int b, int c, Tensor src, Tensor dst) {
        Check.min("swapLeadingAxes", "a", a, 0);
        Check.min("swapLeadingAxes", "b", b, 0);
        Check.min("swapLeadingAxes", "c", c, 0);
        Check.size("swapLeadingAxes", "src", src, (long) a * b * c);
        Check.size("swapLeadingAxes", "dst", dst, (long) a * b * c);
        ConvolutionOps.swapLeadingAxes(a, b, c, data(src), offset(src), data(dst), offset(dst));
    }

    // ---- element-wise --------------------------------------------------------------------------------------

    @Override
    public void map(UnaryOp op, Tensor x, Tensor y) {
        Check.size("map", "y", y, x.size());
        ElementwiseOps.map(op, data(x), offset(x), data(y), offset(y), Check.elements(x));
    }

    @Override
    public void affine(float scale, Tensor x, float shift, Tensor y) {
        Check.size("affine", "y", y, x.size());
        ElementwiseOps.affine(scale, data(x), offset(x), shift, data(y), offset(y), Check.elements(x));
    }

    @Override
    public void zip(BinaryOp op, Tensor a, Tensor b, int bInner, Tensor out) {
        Check.min("zip", "bInner", bInner, 1);
        Check.atLeast("zip", "b", b, 1);
        Check.multiple("zip", "a", a.size(), "b.size() * bInner", b.size() * bInner);
        Check.size("zip", "out", out, a.size());
        ElementwiseOps.zip(op, data(a), offset(a), Check.elements(a), data(b), offset(b), Check.elements(b), bInner,
                data(out), offset(out));
    }

    @Override
    public void axpby(float alpha, Tensor x, float beta, Tensor y) {
        Check.size("axpby", "y", y, x.size());
        ElementwiseOps.axpby(alpha, data(x), offset(x), beta, data(y), offset(y), Check.elements(x));
    }

    // ---- reductions ----------------------------------------------------------------------------------------

    @Override
    public void sum(Tensor x, int outer, int length, int inner, float alpha, float beta, Tensor out) {
        Check.min("sum", "outer", outer, 0);
        Check.min("sum", "length", length, 0);
        Check.min("sum", "inner", inner, 1);
        Check.size("sum", "x", x, (long) outer * length * inner);
        Check.size("sum", "out", out, (long) outer * inner);
        ReductionOps.sum(data(x), offset(x), outer, length, inner, alpha, beta, data(out), offset(out));
    }

    @Override
    public void argmax(Tensor x, int rows, int cols, Tensor out) {
        Check.min("argmax", "rows", rows, 0);
        Check.min("argmax", "cols", cols, 1);
        Check.size("argmax", "x", x, (long) rows * cols);
        Check.size("argmax", "out", out, rows);
        ReductionOps.argmax(data(x), offset(x), rows, cols, data(out), offset(out));
    }

    // ---- fused softmax cross-entropy -------------------------------------------------------------------------

    @Override
    public void softmaxCrossEntropyForward(Tensor logits, Tensor labels, Tensor probs, Tensor rowLoss) {
        String op = "softmaxCrossEntropyForward";
        int rows = rowsOf(op, logits);
        int classes = (int) logits.shape().sizeAfterFirst();
        Check.size(op, "labels", labels, rows);
        Check.size(op, "probs", probs, logits.size());
        Check.size(op, "rowLoss", rowLoss, rows);
        SoftmaxCrossEntropyOps.checkLabels(op, data(labels), offset(labels), rows, classes);
        SoftmaxCrossEntropyOps.forward(data(logits), offset(logits), data(labels), offset(labels), rows, classes,
                data(probs), offset(probs), data(rowLoss), offset(rowLoss));
    }

    @Override
    public void softmaxCrossEntropyBackward(Tensor probs, Tensor labels, float scale, Tensor dLogits) {
        String op = "softmaxCrossEntropyBackward";
        int rows = rowsOf(op, probs);
        int classes = (int) probs.shape().sizeAfterFirst();
        Check.size(op, "labels", labels, rows);
        Check.size(op, "dLogits", dLogits, probs.size());
        SoftmaxCrossEntropyOps.checkLabels(op, data(labels), offset(labels), rows, classes);
        SoftmaxCrossEntropyOps.backward(data(probs), offset(probs), data(labels), offset(labels), rows, classes,
                scale, data(dLogits), offset(dLogits));
    }

    /** N of an (N, C) tensor, whose classes may be given as more than one trailing axis. */
    private static int rowsOf(String op, Tensor t) {
        if (t.shape().rank() < 2 || t.shape().sizeAfterFirst() == 0) {
            throw new IllegalArgumentException(op + ": expected (N, C) with C >= 1, got " + t.shape());
        }
        return t.shape().dim(0);
    }

    // ---- pooling -------------------------------------------------------------------------------------------

    @Override
    public void poolForward(PoolSpec spec, Tensor x, Tensor y) {
        Check.size("poolForward", "x", x, spec.inputSize());
        Check.size("poolForward", "y", y, spec.outputSize());
        PoolingOps.forward(spec, data(x), offset(x), data(y), offset(y));
    }

    @Override
    public void poolBackward(PoolSpec spec, Tensor x, Tensor dy, Tensor dx) {
        Check.size("poolBackward", "x", x, spec.inputSize());
        Check.size("poolBackward", "dy", dy, spec.outputSize());
        Check.size("poolBackward", "dx", dx, spec.inputSize());
        PoolingOps.backward(spec, data(x), offset(x), data(dy), offset(dy), data(dx), offset(dx));
    }

    // ---- activations and dropout -------------------------------------------------------------------------

    @Override
    public void activationForward(Activation f, float alpha, Tensor x, Tensor y) {
        Check.size("activationForward", "y", y, x.size());
        ActivationOps.forward(f, alpha, data(x), offset(x), data(y), offset(y), Check.elements(x));
    }

    @Override
    public void activationBackward(Activation f, float alpha, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        String op = "activationBackward";
        boolean fromInput = ActivationOps.gradientFromInput(f);
        String name = fromInput ? "x" : "y";
        Tensor from = Check.present(op, name, fromInput ? x : y, f);
        Check.size(op, name, from, dy.size());
        Check.size(op, "dx", dx, dy.size());
        ActivationOps.backward(f, alpha, data(from), offset(from), data(dy), offset(dy), data(dx), offset(dx),
                Check.elements(dy));
    }

    @Override
    public void dropoutForward(DropoutSpec spec, Tensor x, Tensor y) {
        Check.size("dropoutForward", "y", y, x.size());
        DropoutOps.apply(spec, data(x), offset(x), data(y), offset(y), Check.elements(x));
    }

    @Override
    public void dropoutBackward(DropoutSpec spec, Tensor dy, Tensor dx) {
        Check.size("dropoutBackward", "dx", dx, dy.size());
        DropoutOps.apply(spec, data(dy), offset(dy), data(dx), offset(dx), Check.elements(dy));
    }

    // ---- fused optimizer updates -----------------------------------------------------------------------------

    @Override
    public void sgdUpdate(SgdStep step, Tensor param, Tensor grad, Tensor velocity) {
        Check.size("sgdUpdate", "grad", grad, param.size());
        float[] v = null;
        int vo = 0;
        if (step.momentum() != 0f) {
            Check.present("sgdUpdate", "velocity", velocity, step);
            Check.size("sgdUpdate", "velocity", velocity, param.size());
            v = data(velocity);
            vo = offset(velocity);
        }
        OptimizerOps.sgd(step, data(param), offset(param), data(grad), offset(grad), v, vo, Check.elements(param));
    }

    @Override
    public void adamUpdate(AdamStep step, Tensor param, Tensor grad, Tensor m, Tensor v) {
        Check.size("adamUpdate", "grad", grad, param.size());
        Check.size("adamUpdate", "m", m, param.size());
        Check.size("adamUpdate", "v", v, param.size());
        OptimizerOps.adam(step, data(param), offset(param), data(grad), offset(grad), data(m), offset(m), data(v),
                offset(v), Check.elements(param));
    }

    /** Ops are synchronous, so nothing is pending: empties the pool's cache. */
    @Override
    public void close() {
        pool.clear();
    }
}
