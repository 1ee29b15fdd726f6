package dev.cortado.benchmarks;

import dev.cortado.backend.Activation;
import dev.cortado.backend.AdamStep;
import dev.cortado.backend.BatchNormSpec;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
import dev.cortado.backend.DropoutSpec;
import dev.cortado.backend.GemmSpec;
import dev.cortado.backend.PoolSpec;
import dev.cortado.backend.SgdStep;
import dev.cortado.backend.UnaryOp;
import dev.cortado.cpu.CpuBackend;
import dev.cortado.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU backend with every op timed while {@link #enabled}: its wall time and the calling thread's CPU time
 * (ops are synchronous on the CPU, so a call's wall time is the op's), keyed by the layer or loss that called it
 * and the op with its sizes. Used by {@link OpProfile}.
 */
final class TimedCpuBackend extends CpuBackend {
    private final Map<String, long[]> totals = new HashMap<>();
    private final StackWalker walker = StackWalker.getInstance();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean enabled;

    /** One op's time per training step: wall time, and the CPU time of the thread that called it. */
    record OpTime(String caller, String op, double wallMicros, double cpuMicros) {
    }

    /** Forgets the totals so far. */
    void reset() {
        totals.clear();
    }

    /** The totals divided by the step count, longest wall time first. */
    List<OpTime> perStep(double steps) {
        List<OpTime> ops = new ArrayList<>();
        totals.forEach((key, total) -> {
            String[] parts = key.split("\t");
            ops.add(new OpTime(parts[0], parts[1], total[0] / steps / 1e3, total[1] / steps / 1e3));
        });
        ops.sort((x, y) -> Double.compare(y.wallMicros(), x.wallMicros()));
        return ops;
    }

    private void timed(String op, String sizes, Runnable body) {
        if (!enabled) {
            body.run();
            return;
        }
        long start = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        body.run();
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        long elapsed = System.nanoTime() - start;
        String caller = walker.walk(s -> s.map(f -> f.getClassName() + "." + f.getMethodName())
                .filter(f -> f.startsWith("dev.cortado.") && !f.startsWith("dev.cortado.benchmarks.")
                        && !f.startsWith("dev.cortado.backend.") && !f.startsWith("dev.cortado.cpu."))
                .findFirst().orElse("?"));
        long[] total = totals.computeIfAbsent(shortName(caller) + "\t" + op + sizes, k -> new long[2]);
        total[0] += elapsed;
        total[1] += cpu;
    }

    private static String shortName(String frame) {
        String[] parts = frame.split("\\.");
        return parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    private static String shape(Tensor t) {
        return " " + t.shape();
    }

    @Override
    protected void doUpload(float[] src, int srcOffset, Tensor dst) {
        timed("upload", shape(dst), () -> super.doUpload(src, srcOffset, dst));
    }

    @Override
    protected void doDownload(Tensor src, float[] dst, int dstOffset) {
        timed("download", shape(src), () -> super.doDownload(src, dst, dstOffset));
    }

    @Override
    protected void doCopy(Tensor src, Tensor dst) {
        timed("copy", shape(src), () -> super.doCopy(src, dst));
    }

    @Override
    protected void doFill(Tensor dst, float value) {
        timed("fill", shape(dst), () -> super.doFill(dst, value));
    }

    @Override
    protected void doGemm(GemmSpec g, Tensor a, Tensor b, Tensor c) {
        timed("gemm", " " + g.m() + "x" + g.n() + "x" + g.k() + (g.transA() ? " At" : "") + (g.transB() ? " Bt" : ""),
                () -> super.doGemm(g, a, b, c));
    }

    @Override
    protected void doIm2col(ConvGeometry g, Tensor image, Tensor columns) {
        timed("im2col", " c" + g.channels() + " " + g.height() + "x" + g.width(),
                () -> super.doIm2col(g, image, columns));
    }

    @Override
    protected void doCol2im(ConvGeometry g, Tensor columns, Tensor image) {
        timed("col2im", " c" + g.channels() + " " + g.height() + "x" + g.width(),
                () -> super.doCol2im(g, columns, image));
    }

    @Override
    protected void doConvolutionForward(ConvSpec spec, Tensor x, Tensor w, Tensor y) {
        timed("convolutionForward", convolution(spec), () -> super.doConvolutionForward(spec, x, w, y));
    }

    @Override
    protected void doConvolutionBackwardWeight(ConvSpec spec, Tensor x, Tensor dy, Tensor dw) {
        timed("convolutionBackwardWeight", convolution(spec),
                () -> super.doConvolutionBackwardWeight(spec, x, dy, dw));
    }

    @Override
    protected void doConvolutionBackwardInput(ConvSpec spec, Tensor w, Tensor dy, Tensor dx) {
        timed("convolutionBackwardInput", convolution(spec),
                () -> super.doConvolutionBackwardInput(spec, w, dy, dx));
    }

    private static String convolution(ConvSpec spec) {
        ConvGeometry g = spec.geometry();
        return " c" + g.channels() + "->" + spec.outChannels() + " " + g.height() + "x" + g.width() + " k"
                + g.kernelH() + "x" + g.kernelW() + (g.stride() != 1 ? " s" + g.stride() : "");
    }

    @Override
    protected void doBatchNormForward(BatchNormSpec spec, float epsilon, Tensor x, Tensor weight, Tensor bias,
                                      Tensor y, Tensor mean, Tensor variance) {
        timed("batchNormForward", " " + spec, () -> super.doBatchNormForward(spec, epsilon, x, weight, bias, y,
                mean, variance));
    }

    @Override
    protected void doBatchNormInference(BatchNormSpec spec, float epsilon, Tensor x, Tensor mean, Tensor variance,
                                        Tensor weight, Tensor bias, Tensor y) {
        timed("batchNormInference", " " + spec, () -> super.doBatchNormInference(spec, epsilon, x, mean, variance,
                weight, bias, y));
    }

    @Override
    protected void doBatchNormBackward(BatchNormSpec spec, Tensor x, Tensor mean, Tensor invStd, Tensor weight,
                                       Tensor dy, Tensor dWeight, Tensor dBias, Tensor dx) {
        timed("batchNormBackward", " " + spec, () -> super.doBatchNormBackward(spec, x, mean, invStd, weight, dy,
                dWeight, dBias, dx));
    }

    @Override
    protected void doSwapLeadingAxes(int a, int b, int c, Tensor src, Tensor dst) {
        timed("swapLeadingAxes", shape(src), () -> super.doSwapLeadingAxes(a, b, c, src, dst));
    }

    @Override
    protected void doMap(UnaryOp op, Tensor x, Tensor y) {
        timed("map " + op, shape(x), () -> super.doMap(op, x, y));
    }

    @Override
    protected void doAffine(float scale, Tensor x, float shift, Tensor y) {
        timed("affine", shape(x), () -> super.doAffine(scale, x, shift, y));
    }

    @Override
    protected void doZip(BinaryOp op, Tensor a, Tensor b, int bInner, Tensor out) {
        timed("zip " + op, shape(a), () -> super.doZip(op, a, b, bInner, out));
    }

    @Override
    protected void doAxpby(float alpha, Tensor x, float beta, Tensor y) {
        timed("axpby", shape(x), () -> super.doAxpby(alpha, x, beta, y));
    }

    @Override
    protected void doSum(Tensor x, int outer, int length, int inner, float alpha, float beta, Tensor out) {
        timed("sum", shape(x), () -> super.doSum(x, outer, length, inner, alpha, beta, out));
    }

    @Override
    protected void doArgmax(Tensor x, int rows, int cols, Tensor out) {
        timed("argmax", shape(x), () -> super.doArgmax(x, rows, cols, out));
    }

    @Override
    protected void doSoftmaxCrossEntropyForward(Tensor logits, Tensor labels, float smoothing, Tensor probs,
                                                Tensor rowLoss) {
        timed("softmaxCrossEntropyForward", shape(logits),
                () -> super.doSoftmaxCrossEntropyForward(logits, labels, smoothing, probs, rowLoss));
    }

    @Override
    protected void doSoftmaxCrossEntropyBackward(Tensor probs, Tensor labels, float smoothing, float scale,
                                                 Tensor dLogits) {
        timed("softmaxCrossEntropyBackward", shape(probs),
                () -> super.doSoftmaxCrossEntropyBackward(probs, labels, smoothing, scale, dLogits));
    }

    @Override
    protected void doPoolForward(PoolSpec p, Tensor x, Tensor y) {
        timed("poolForward", " c" + p.channels() + " " + p.height() + "x" + p.width(),
                () -> super.doPoolForward(p, x, y));
    }

    @Override
    protected void doPoolBackward(PoolSpec p, Tensor x, Tensor dy, Tensor dx) {
        timed("poolBackward", " c" + p.channels() + " " + p.height() + "x" + p.width(),
                () -> super.doPoolBackward(p, x, dy, dx));
    }

    @Override
    protected void doActivationForward(Activation f, float alpha, Tensor x, Tensor y) {
        timed("activationForward " + f, shape(x), () -> super.doActivationForward(f, alpha, x, y));
    }

    @Override
    protected void doActivationBackward(Activation f, float alpha, Tensor from, Tensor dy, Tensor dx) {
        timed("activationBackward " + f, shape(dy), () -> super.doActivationBackward(f, alpha, from, dy, dx));
    }

    @Override
    protected void doDropout(DropoutSpec spec, Tensor in, Tensor out) {
        timed("dropout", shape(in), () -> super.doDropout(spec, in, out));
    }

    @Override
    protected void doSgdUpdate(SgdStep step, Tensor param, Tensor grad, Tensor velocity) {
        timed("sgdUpdate", shape(param), () -> super.doSgdUpdate(step, param, grad, velocity));
    }

    @Override
    protected void doAdamUpdate(AdamStep step, Tensor param, Tensor grad, Tensor m, Tensor v) {
        timed("adamUpdate", shape(param), () -> super.doAdamUpdate(step, param, grad, m, v));
    }
}
