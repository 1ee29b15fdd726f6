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
 * {@link KernelDevice}: for each op (its arguments checked by {@link Backend}), which kernel of which file it
 * calls with which arguments, and the launch geometry; and which GEMM engine runs. The OpenCL and CUDA backends are this class
 * over their own device. Ops are serialised on this object: kernel arguments and queues are shared state.
 */
public abstract class KernelBackend extends Backend {
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

    private Launcher.Call call(String file, String kernel) {
        return launcher.call(file, "", kernel);
    }

    /** The element count of a tensor; the allocator keeps every tensor within the kernels' 32-bit indices. */
    private static int n(Tensor t) {
        return (int) t.size();
    }

    // ---- memory ------------------------------------------------------------------------------------------

    @Override
    protected synchronized void doUpload(float[] src, int srcOffset, Tensor dst) {
        int count = n(dst);
        transfers.upload(count);
        if (count > 0) {
            device.upload(src, srcOffset, count, launcher.bufferOf(dst), dst.offset());
        }
    }

    @Override
    protected synchronized void doDownload(Tensor src, float[] dst, int dstOffset) {
        int count = n(src);
        transfers.download(count);
        if (count == 0) {
            device.finish();
        } else {
            device.download(launcher.bufferOf(src), src.offset(), count, dst, dstOffset);
        }
    }

    @Override
    public TransferStats transfers() {
        return transfers.stats();
    }

    @Override
    protected synchronized void doCopy(Tensor src, Tensor dst) {
        DeviceBuffer from = launcher.bufferOf(src);
        DeviceBuffer to = launcher.bufferOf(dst);
        if (src.size() > 0 && !(from == to && src.offset() == dst.offset())) {
            device.copy(from, src.offset(), to, dst.offset(), src.size());
        }
    }

    @Override
    protected synchronized void doFill(Tensor dst, float value) {
        int count = n(dst);
        call("elementwise.cl", "fill").ints(count).tensor(dst).floats(value).run1d(count);
    }

    // ---- linear algebra and convolution -------------------------------------------------------------------

    @Override
    protected synchronized void doGemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        // k = 0 leaves C = beta * C, which the tiled kernel computes; the libraries reject k = 0.
        (spec.k() == 0 ? tiled : gemm).run(spec, a, b, c);
    }

    @Override
    protected synchronized void doIm2col(ConvGeometry g, Tensor image, Tensor columns) {
        int total = n(columns);
        call("layout.cl", "im2col").ints(geometry(g)).ints((int) g.columnCols(), total)
                .tensor(image).tensor(columns).run1d(total);
    }

    @Override
    protected synchronized void doCol2im(ConvGeometry g, Tensor columns, Tensor image) {
        int total = n(image);
        call("layout.cl", "col2im").ints(geometry(g)).ints((int) g.columnCols(), total)
                .tensor(columns).tensor(image).run1d(total);
    }

    private static int[] geometry(ConvGeometry g) {
        return new int[] {g.channels(), g.height(), g.width(), g.kernelH(), g.kernelW(), g.stride(), g.padding(),
                g.dilation(), g.outHeight(), g.outWidth()};
    }

    @Override
    protected synchronized void doSwapLeadingAxes(int a, int b, int c, Tensor src, Tensor dst) {
        int count = n(src);
        call("layout.cl", "swap_leading_axes").ints(a, b, c).tensor(src).tensor(dst).run1d(count);
    }

    // ---- element-wise --------------------------------------------------------------------------------------

    @Override
    protected synchronized void doMap(UnaryOp op, Tensor x, Tensor y) {
        int count = n(x);
        call("elementwise.cl", "map_unary").ints(count, op.ordinal()).tensor(x).tensor(y).run1d(count);
    }

    @Override
    protected synchronized void doAffine(float scale, Tensor x, float shift, Tensor y) {
        int count = n(x);
        call("elementwise.cl", "affine").ints(count).floats(scale).tensor(x).floats(shift).tensor(y).run1d(count);
    }

    @Override
    protected synchronized void doZip(BinaryOp op, Tensor a, Tensor b, int bInner, Tensor out) {
        int count = n(a);
        call("elementwise.cl", "zip_broadcast").ints(count, op.ordinal()).tensor(a).tensor(b)
                .ints(bInner, n(b)).tensor(out).run1d(count);
    }

    @Override
    protected synchronized void doAxpby(float alpha, Tensor x, float beta, Tensor y) {
        int count = n(x);
        call("elementwise.cl", "axpby").ints(count).floats(alpha).tensor(x).floats(beta).tensor(y).run1d(count);
    }

    // ---- reductions ----------------------------------------------------------------------------------------

    @Override
    protected synchronized void doSum(Tensor x, int outer, int length, int inner, float alpha, float beta,
                                      Tensor out) {
        int outputs = n(out);
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
    protected synchronized void doArgmax(Tensor x, int rows, int cols, Tensor out) {
        // Built with the sum's options, so that reduce.cl is built once.
        launcher.call("reduce.cl", reduceOptions, "argmax_rows").ints(rows, cols).tensor(x).tensor(out).run1d(rows);
    }

    // ---- fused softmax cross-entropy -------------------------------------------------------------------------

    @Override
    protected synchronized void doSoftmaxCrossEntropyForward(Tensor logits, Tensor labels, float smoothing,
                                                             Tensor probs, Tensor rowLoss) {
        int rows = logits.shape().dim(0);
        call("softmax.cl", "softmax_xent_forward").ints(rows, logits.shape().dim(1)).floats(smoothing)
                .tensor(logits).tensor(labels).tensor(probs).tensor(rowLoss).run1d(rows);
    }

    @Override
    protected synchronized void doSoftmaxCrossEntropyBackward(Tensor probs, Tensor labels, float smoothing,
                                                              float scale, Tensor dLogits) {
        call("softmax.cl", "softmax_xent_backward").ints(probs.shape().dim(0), probs.shape().dim(1))
                .floats(smoothing).tensor(probs).tensor(labels).floats(scale).tensor(dLogits).run1d(probs.size());
    }

    // ---- pooling -------------------------------------------------------------------------------------------

    @Override
    protected synchronized void doPoolForward(PoolSpec spec, Tensor x, Tensor y) {
        String kernel = spec.kind() == PoolSpec.Kind.MAX ? "max_pool_forward" : "avg_pool_forward";
        call("pool.cl", kernel).ints(poolGeometry(spec)).tensor(x).tensor(y).run1d(n(y));
    }

    @Override
    protected synchronized void doPoolBackward(PoolSpec spec, Tensor x, Tensor dy, Tensor dx) {
        int count = n(dx);
        if (spec.kind() == PoolSpec.Kind.MAX) {
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
    protected synchronized void doActivationForward(Activation f, float alpha, Tensor x, Tensor y) {
        int count = n(x);
        call("activation.cl", "activation_forward").ints(count, f.ordinal()).floats(alpha).tensor(x).tensor(y)
                .run1d(count);
    }

    @Override
    protected synchronized void doActivationBackward(Activation f, float alpha, Tensor from, Tensor dy,
                                                     Tensor dx) {
        int count = n(dy);
        // The kernel reads x or y as the function needs: both are the one given.
        call("activation.cl", "activation_backward").ints(count, f.ordinal()).floats(alpha)
                .tensor(from).tensor(from).tensor(dy).tensor(dx).run1d(count);
    }

    @Override
    protected synchronized void doDropout(DropoutSpec spec, Tensor in, Tensor out) {
        int count = n(in);
        call("dropout.cl", "dropout_apply").ints(count).floats(spec.p(), spec.scale())
                .ints((int) spec.seed(), (int) (spec.seed() >>> 32), (int) spec.stream(), (int) (spec.stream() >>> 32))
                .tensor(in).tensor(out).run1d((count + 3L) / 4);
    }

    // ---- fused optimizer updates -----------------------------------------------------------------------------

    @Override
    protected synchronized void doSgdUpdate(SgdStep step, Tensor param, Tensor grad, Tensor velocity) {
        int count = n(param);
        boolean momentum = velocity != null;
        call("optimizer.cl", "sgd_update").ints(count).floats(step.lr(), step.momentum(), step.weightDecay())
                .ints(momentum ? 1 : 0, step.nesterov() ? 1 : 0).tensor(param).tensor(grad)
                .tensor(momentum ? velocity : param).run1d(count);
    }

    @Override
    protected synchronized void doAdamUpdate(AdamStep step, Tensor param, Tensor grad, Tensor m, Tensor v) {
        int count = n(param);
        call("optimizer.cl", "adam_update").ints(count)
                .floats(step.lr(), step.beta1(), step.beta2(), step.eps(), step.weightDecay())
                .ints(step.decoupled() ? 1 : 0).floats(step.biasCorrection1(), step.biasCorrection2())
                .tensor(param).tensor(grad).tensor(m).tensor(v).run1d(count);
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    /** Waits for queued work, then releases the GEMM engine, the pool's buffers and everything the device holds. */
    @Override
    protected synchronized void doClose() {
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
