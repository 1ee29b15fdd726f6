package dev.cortado.kernel;

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
import dev.cortado.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@link Backend} of every device that runs the kernels of cortado-kernels-cl, written once over a
 * {@link KernelDevice}: for each op, the argument checks, which kernel of which file it calls with which
 * arguments, and the launch geometry; and which GEMM engine runs. The OpenCL and CUDA backends are this class
 * over their own device. Ops are serialised on this object: kernel arguments and queues are shared state.
 */
public abstract class KernelBackend implements Backend {
    private final KernelDevice device;
    private final BufferPool pool;
    private final Launcher launcher;
    /** Runs the products with {@code k = 0}, and all of them when {@link #gemm} is this engine. */
    private final TiledGemm tiled;
    private final GemmEngine gemm;
    private final DeviceInfo info;
    private final int reduceGroup;
    /** The build options of reduce.cl, {@link #reduceOptions(int)} of {@link #reduceGroup}. */
    private final String reduceOptions;
    private final TransferCounter transfers = new TransferCounter();
    private boolean closed;

    /**
     * A backend over {@code device}, which it owns from now on (and closes, also when this constructor fails).
     *
     * @param gemmChoice the GEMM engine to run; when the library cannot be loaded, the tiled kernel runs instead
     *     and the GEMM line says why
     * @param describe the device's info, given the line that describes the GEMM engine in use
     */
    protected KernelBackend(KernelDevice device, GemmChoice gemmChoice, Function<String, DeviceInfo> describe) {
        this.device = device;
        try {
            this.pool = new BufferPool(device.allocator());
            this.launcher = new Launcher(this, device);
            this.reduceGroup = reduceGroup(device.facts());
            this.reduceOptions = reduceOptions(reduceGroup);
            this.tiled = new TiledGemm(launcher, GemmTiles.forDevice(device.facts()));
            String gemmLine = null;
            GemmEngine chosen = tiled;
            if (gemmChoice == GemmChoice.LIBRARY) {
                try {
                    chosen = device.openGemmLibrary();
                } catch (IllegalStateException e) {
                    gemmLine = tiled.describe() + " (" + device.gemmLibrary() + " was asked for but "
                            + e.getMessage() + ")";
                }
            }
            this.gemm = chosen;
            this.info = describe.apply(gemmLine != null ? gemmLine : gemm.describe());
        } catch (RuntimeException | Error e) {
            device.close();
            throw e;
        }
    }

    /** Work-items per group of the grouped sum on a device: a power of two, at most {@link Launcher#GROUP_SIZE}. */
    static int reduceGroup(KernelDeviceFacts facts) {
        return Integer.highestOneBit((int) Math.min(Launcher.GROUP_SIZE, facts.maxWorkGroupSize()));
    }

    /** The build options of reduce.cl for a group size. */
    static String reduceOptions(int group) {
        return "-DREDUCE_GROUP=" + group;
    }

    /**
     * Every build of a kernel file that a backend on a device with these facts can ask for: each file once with
     * no options, except {@code gemm.cl} (the device's tiles and the safe tiles, each with every transpose) and
     * {@code reduce.cl} (the device's group size). A device API that loads prebuilt kernels builds exactly these.
     */
    public static List<KernelVariant> variants(KernelDeviceFacts facts) {
        List<KernelVariant> all = new ArrayList<>();
        Set<GemmTiles> tiles = new LinkedHashSet<>(List.of(GemmTiles.forDevice(facts), GemmTiles.SAFE));
        for (String file : KernelSources.files()) {
            switch (file) {
                case "gemm.cl" -> {
                    for (GemmTiles t : tiles) {
                        for (boolean transA : new boolean[] {false, true}) {
                            for (boolean transB : new boolean[] {false, true}) {
                                all.add(new KernelVariant(file, t.buildOptions(transA, transB)));
                            }
                        }
                    }
                }
                case "reduce.cl" -> all.add(new KernelVariant(file, reduceOptions(reduceGroup(facts))));
                default -> all.add(new KernelVariant(file, ""));
            }
        }
        return List.copyOf(all);
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    @Override
    public BufferPool pool() {
        return pool;
    }

    /** The launcher of this backend's kernels, for subclasses and their tests. */
    protected final Launcher launcher() {
        return launcher;
    }

    /** The device this backend runs on, the one given to the constructor. */
    protected final KernelDevice kernelDevice() {
        return device;
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the " + device.api() + " backend for " + info.device() + " is closed");
        }
    }

    private Launcher.Call call(String file, String kernel) {
        return launcher.call(file, "", kernel);
    }

    private static int n(String op, Tensor t) {
        return Checks.fitsInt(op, "size", t.size());
    }

    // ---- memory ------------------------------------------------------------------------------------------

    @Override
    public synchronized void upload(float[] src, int srcOffset, Tensor dst) {
        open();
        int count = n("upload", dst);
        if (srcOffset < 0 || (long) srcOffset + count > src.length) {
            throw new IllegalArgumentException("upload: " + count + " floats from offset " + srcOffset
                    + " do not fit in a source array of " + src.length);
        }
        transfers.upload(count);
        if (count == 0) {
            return;
        }
        device.upload(src, srcOffset, count, launcher.bufferOf(dst), dst.offset());
    }

    @Override
    public synchronized void download(Tensor src, float[] dst, int dstOffset) {
        open();
        int count = n("download", src);
        if (dstOffset < 0 || (long) dstOffset + count > dst.length) {
            throw new IllegalArgumentException("download: " + count + " floats to offset " + dstOffset
                    + " do not fit in a destination array of " + dst.length);
        }
        DeviceBuffer buffer = launcher.bufferOf(src);
        transfers.download(count);
        if (count == 0) {
            device.finish();
        } else {
            device.download(buffer, src.offset(), count, dst, dstOffset);
        }
    }

    @Override
    public TransferStats transfers() {
        return transfers.stats();
    }

    @Override
    public synchronized void copy(Tensor src, Tensor dst) {
        open();
        Checks.size("copy", "dst", dst, src.size());
        DeviceBuffer from = launcher.bufferOf(src);
        DeviceBuffer to = launcher.bufferOf(dst);
        if (src.size() == 0 || (from == to && src.offset() == dst.offset())) {
            return;
        }
        device.copy(from, src.offset(), to, dst.offset(), src.size());
    }

    @Override
    public synchronized void fill(Tensor dst, float value) {
        open();
        int count = n("fill", dst);
        call("elementwise.cl", "fill").ints(count).tensor(dst).floats(value).run1d(count);
    }

    // ---- linear algebra and convolution -------------------------------------------------------------------

    @Override
    public synchronized void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        open();
        Checks.atLeast("gemm", "A", a, spec.extentA());
        Checks.atLeast("gemm", "B", b, spec.extentB());
        Checks.atLeast("gemm", "C", c, spec.extentC());
        Checks.nonNegative("gemm", "strideA", spec.strideA());
        Checks.nonNegative("gemm", "strideB", spec.strideB());
        n("gemm", a);
        n("gemm", b);
        n("gemm", c);
        // A library engine reads the buffers directly, so ownership is checked here for every engine.
        launcher.bufferOf(a);
        launcher.bufferOf(b);
        launcher.bufferOf(c);
        if (spec.m() == 0 || spec.n() == 0) {
            return;
        }
        // k = 0 leaves C = beta * C, which the tiled kernel computes; the libraries reject k = 0.
        (spec.k() == 0 ? tiled : gemm).run(spec, a, b, c);
    }

    @Override
    public synchronized void im2col(ConvGeometry g, Tensor image, Tensor columns) {
        open();
        Checks.size("im2col", "image", image, g.imageSize());
        Checks.size("im2col", "columns", columns, g.columnRows() * g.columnCols());
        int total = n("im2col", columns);
        call("layout.cl", "im2col").ints(geometry(g)).ints((int) g.columnCols(), total)
                .tensor(image).tensor(columns).run1d(total);
    }

    @Override
    public synchronized void col2im(ConvGeometry g, Tensor columns, Tensor image) {
        open();
        Checks.size("col2im", "columns", columns, g.columnRows() * g.columnCols());
        Checks.size("col2im", "image", image, g.imageSize());
        n("col2im", columns);
        int total = n("col2im", image);
        call("layout.cl", "col2im").ints(geometry(g)).ints((int) g.columnCols(), total)
                .tensor(columns).tensor(image).run1d(total);
    }

    private static int[] geometry(ConvGeometry g) {
        return new int[] {g.channels(), g.height(), g.width(), g.kernelH(), g.kernelW(), g.stride(), g.padding(),
                g.dilation(), g.outHeight(), g.outWidth()};
    }

    @Override
    public synchronized void swapLeadingAxes(int a, int b, int c, Tensor src, Tensor dst) {
        open();
        Checks.nonNegative("swapLeadingAxes", "a", a);
        Checks.nonNegative("swapLeadingAxes", "b", b);
        Checks.nonNegative("swapLeadingAxes", "c", c);
        long total = (long) a * b * c;
        Checks.size("swapLeadingAxes", "src", src, total);
        Checks.size("swapLeadingAxes", "dst", dst, total);
        int count = n("swapLeadingAxes", src);
        call("layout.cl", "swap_leading_axes").ints(a, b, c).tensor(src).tensor(dst).run1d(count);
    }

    // ---- element-wise --------------------------------------------------------------------------------------

    @Override
    public synchronized void map(UnaryOp op, Tensor x, Tensor y) {
        open();
        Checks.size("map", "y", y, x.size());
        int count = n("map", x);
        call("elementwise.cl", "map_unary").ints(count, op.ordinal()).tensor(x).tensor(y).run1d(count);
    }

    @Override
    public synchronized void affine(float scale, Tensor x, float shift, Tensor y) {
        open();
        Checks.size("affine", "y", y, x.size());
        int count = n("affine", x);
        call("elementwise.cl", "affine").ints(count).floats(scale).tensor(x).floats(shift).tensor(y).run1d(count);
    }

    @Override
    public synchronized void zip(BinaryOp op, Tensor a, Tensor b, int bInner, Tensor out) {
        open();
        Checks.positive("zip", "bInner", bInner);
        Checks.positive("zip", "b.size()", b.size());
        long period = b.size() * bInner;
        if (a.size() % period != 0) {
            throw new IllegalArgumentException("zip: a has " + a.size() + " elements (shape " + a.shape()
                    + "), not a multiple of b.size() * bInner = " + b.size() + " * " + bInner);
        }
        Checks.size("zip", "out", out, a.size());
        int count = n("zip", a);
        call("elementwise.cl", "zip_broadcast").ints(count, op.ordinal()).tensor(a).tensor(b)
                .ints(bInner, n("zip", b)).tensor(out).run1d(count);
    }

    @Override
    public synchronized void axpby(float alpha, Tensor x, float beta, Tensor y) {
        open();
        Checks.size("axpby", "y", y, x.size());
        int count = n("axpby", x);
        call("elementwise.cl", "axpby").ints(count).floats(alpha).tensor(x).floats(beta).tensor(y).run1d(count);
    }

    // ---- reductions ----------------------------------------------------------------------------------------

    @Override
    public synchronized void sum(Tensor x, int outer, int length, int inner, float alpha, float beta, Tensor out) {
        open();
        Checks.nonNegative("sum", "outer", outer);
        Checks.nonNegative("sum", "length", length);
        Checks.nonNegative("sum", "inner", inner);
        Checks.size("sum", "x", x, (long) outer * length * inner);
        Checks.size("sum", "out", out, (long) outer * inner);
        int outputs = n("sum", out);
        n("sum", x);
        if (outputs == 0) {
            return;
        }
        // Long reductions get a work-group each; short ones one work-item each (barriers would cost more).
        Kernel grouped = length >= 2 * reduceGroup ? launcher.kernel("reduce.cl", reduceOptions, "sum_grouped") : null;
        if (grouped != null && grouped.maxWorkGroupSize() >= reduceGroup) {
            launcher.call(grouped).ints(outer, length, inner).floats(alpha, beta).tensor(x).tensor(out)
                    .run(new long[] {(long) outputs * reduceGroup}, new long[] {reduceGroup});
        } else {
            launcher.call("reduce.cl", reduceOptions, "sum_serial").ints(outer, length, inner)
                    .floats(alpha, beta).tensor(x).tensor(out).run1d(outputs);
        }
    }

    @Override
    public synchronized void argmax(Tensor x, int rows, int cols, Tensor out) {
        open();
        Checks.nonNegative("argmax", "rows", rows);
        Checks.positive("argmax", "cols", cols);
        Checks.size("argmax", "x", x, (long) rows * cols);
        Checks.size("argmax", "out", out, rows);
        n("argmax", x);
        // Built with the sum's options, so that reduce.cl is built once.
        launcher.call("reduce.cl", reduceOptions, "argmax_rows").ints(rows, cols).tensor(x).tensor(out).run1d(rows);
    }

    // ---- fused softmax cross-entropy -------------------------------------------------------------------------

    @Override
    public synchronized void softmaxCrossEntropyForward(Tensor logits, Tensor labels, Tensor probs, Tensor rowLoss) {
        open();
        int rows = n("softmaxCrossEntropyForward", labels);
        int cols = classes("softmaxCrossEntropyForward", logits, rows);
        Checks.size("softmaxCrossEntropyForward", "probs", probs, logits.size());
        Checks.size("softmaxCrossEntropyForward", "rowLoss", rowLoss, rows);
        call("softmax.cl", "softmax_xent_forward").ints(rows, cols).tensor(logits).tensor(labels).tensor(probs)
                .tensor(rowLoss).run1d(rows);
    }

    @Override
    public synchronized void softmaxCrossEntropyBackward(Tensor probs, Tensor labels, float scale, Tensor dLogits) {
        open();
        int rows = n("softmaxCrossEntropyBackward", labels);
        int cols = classes("softmaxCrossEntropyBackward", probs, rows);
        Checks.size("softmaxCrossEntropyBackward", "dLogits", dLogits, probs.size());
        call("softmax.cl", "softmax_xent_backward").ints(rows, cols).tensor(probs).tensor(labels).floats(scale)
                .tensor(dLogits).run1d(probs.size());
    }

    /** C of an (N, C) tensor whose N must equal the number of labels. */
    private static int classes(String op, Tensor scores, int rows) {
        if (scores.shape().rank() != 2 || scores.shape().dim(0) != rows || scores.shape().dim(1) < 1) {
            throw new IllegalArgumentException(op + ": expected (N, C) scores with N = " + rows
                    + " (the number of labels) and C >= 1, got shape " + scores.shape());
        }
        n(op, scores);
        return scores.shape().dim(1);
    }

    // ---- pooling -------------------------------------------------------------------------------------------

    @Override
    public synchronized void poolForward(PoolSpec spec, Tensor x, Tensor y) {
        open();
        Checks.size("poolForward", "x", x, spec.inputSize());
        Checks.size("poolForward", "y", y, spec.outputSize());
        n("poolForward", x);
        int count = n("poolForward", y);
        String kernel = spec.kind() == PoolSpec.Kind.MAX ? "max_pool_forward" : "avg_pool_forward";
        call("pool.cl", kernel).ints(poolGeometry(spec)).tensor(x).tensor(y).run1d(count);
    }

    @Override
    public synchronized void poolBackward(PoolSpec spec, Tensor x, Tensor dy, Tensor dx) {
        open();
        Checks.size("poolBackward", "dy", dy, spec.outputSize());
        Checks.size("poolBackward", "dx", dx, spec.inputSize());
        n("poolBackward", dy);
        int count = n("poolBackward", dx);
        if (spec.kind() == PoolSpec.Kind.MAX) {
            Checks.size("poolBackward", "x", x, spec.inputSize());
            call("pool.cl", "max_pool_backward").ints(poolGeometry(spec)).tensor(x).tensor(dy).tensor(dx)
                    .run1d(count);
        } else {
            call("pool.cl", "avg_pool_backward").ints(poolGeometry(spec)).tensor(dy).tensor(dx).run1d(count);
        }
    }

    private static int[] poolGeometry(PoolSpec s) {
        return new int[] {s.batch() * s.channels(), s.height(), s.width(), s.kernel(), s.stride(), s.padding(),
                s.outHeight(), s.outWidth()};
    }

    // ---- activations and dropout -------------------------------------------------------------------------

    @Override
    public synchronized void activationForward(Activation f, float alpha, Tensor x, Tensor y) {
        open();
        Checks.size("activationForward", "y", y, x.size());
        int count = n("activationForward", x);
        call("activation.cl", "activation_forward").ints(count, f.ordinal()).floats(alpha).tensor(x).tensor(y)
                .run1d(count);
    }

    @Override
    public synchronized void activationBackward(Activation f, float alpha, Tensor x, Tensor y, Tensor dy,
                                                Tensor dx) {
        open();
        boolean fromInput = f == Activation.RELU || f == Activation.LEAKY_RELU;
        Tensor used = fromInput ? x : y;
        if (used == null) {
            throw new IllegalArgumentException("activationBackward: " + f + " needs " + (fromInput ? "x" : "y")
                    + ", which is null");
        }
        Checks.size("activationBackward", fromInput ? "x" : "y", used, dy.size());
        Checks.size("activationBackward", "dx", dx, dy.size());
        int count = n("activationBackward", dy);
        // The unused one of x and y may be null; the kernel never reads it, so the used one stands in.
        call("activation.cl", "activation_backward").ints(count, f.ordinal()).floats(alpha)
                .tensor(x != null ? x : used).tensor(y != null ? y : used).tensor(dy).tensor(dx).run1d(count);
    }

    @Override
    public synchronized void dropoutForward(DropoutSpec spec, Tensor x, Tensor y) {
        open();
        Checks.size("dropoutForward", "y", y, x.size());
        dropout(spec, x, y, n("dropoutForward", x));
    }

    @Override
    public synchronized void dropoutBackward(DropoutSpec spec, Tensor dy, Tensor dx) {
        open();
        Checks.size("dropoutBackward", "dx", dx, dy.size());
        dropout(spec, dy, dx, n("dropoutBackward", dy));
    }

    private void dropout(DropoutSpec spec, Tensor in, Tensor out, int count) {
        call("dropout.cl", "dropout_apply").ints(count).floats(spec.p(), spec.scale())
                .ints((int) spec.seed(), (int) (spec.seed() >>> 32), (int) spec.stream(), (int) (spec.stream() >>> 32))
                .tensor(in).tensor(out).run1d((count + 3L) / 4);
    }

    // ---- fused optimizer updates -----------------------------------------------------------------------------

    @Override
    public synchronized void sgdUpdate(SgdStep step, Tensor param, Tensor grad, Tensor velocity) {
        open();
        Checks.size("sgdUpdate", "grad", grad, param.size());
        boolean momentum = step.momentum() != 0f;
        if (momentum) {
            if (velocity == null) {
                throw new IllegalArgumentException("sgdUpdate: momentum " + step.momentum() + " needs a velocity");
            }
            Checks.size("sgdUpdate", "velocity", velocity, param.size());
        }
        int count = n("sgdUpdate", param);
        call("optimizer.cl", "sgd_update").ints(count).floats(step.lr(), step.momentum(), step.weightDecay())
                .ints(momentum ? 1 : 0, step.nesterov() ? 1 : 0).tensor(param).tensor(grad)
                .tensor(momentum ? velocity : param).run1d(count);
    }

    @Override
    public synchronized void adamUpdate(AdamStep step, Tensor param, Tensor grad, Tensor m, Tensor v) {
        open();
        Checks.size("adamUpdate", "grad", grad, param.size());
        Checks.size("adamUpdate", "m", m, param.size());
        Checks.size("adamUpdate", "v", v, param.size());
        int count = n("adamUpdate", param);
        call("optimizer.cl", "adam_update").ints(count)
                .floats(step.lr(), step.beta1(), step.beta2(), step.eps(), step.weightDecay())
                .ints(step.decoupled() ? 1 : 0).floats(step.biasCorrection1(), step.biasCorrection2())
                .tensor(param).tensor(grad).tensor(m).tensor(v).run1d(count);
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    /** Waits for queued work, then releases the GEMM engine, the pool's buffers and everything the device holds. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            device.finish();
        } finally {
            try {
                gemm.close();
                pool.close();
            } finally {
                device.close();
            }
        }
    }
}
