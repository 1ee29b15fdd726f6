package dev.cortado.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clEnqueueCopyBuffer;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseContext;

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
import dev.cortado.backend.UnaryOp;
import dev.cortado.device.DeviceInfo;
import dev.cortado.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.Map;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;

/**
 * The {@link Backend} of one OpenCL device: one context, one in-order queue, the kernels of cortado-kernels-cl
 * built on first use (through the disk cache), and GEMM on the tiled kernel or CLBlast. Ops only enqueue;
 * {@link #download} is the one call that waits. Ops are serialised on this object, since kernel arguments are
 * state shared by all callers of a kernel.
 */
public final class OpenClBackend implements Backend {
    private final ClDevice device;
    private final ClObjects objects = new ClObjects();
    private final cl_context context;
    private final cl_command_queue queue;
    private final ClAllocator allocator;
    private final BufferPool pool;
    private final Programs programs;
    private final Launcher launcher;
    private final GemmEngine gemm;
    private final DeviceInfo info;
    private final StagingBuffers staging = new StagingBuffers();
    private final int reduceGroup;
    private boolean closed;

    OpenClBackend(ClDevice device, DeviceInfo probed, GemmChoice gemmChoice, ProgramCache cache) {
        CL.setExceptionsEnabled(true);
        this.device = device;
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL_CONTEXT_PLATFORM, device.platform());
        this.context = clCreateContext(properties, 1, new cl_device_id[] {device.id()}, null, null, null);
        objects.created(ClObjects.Kind.CONTEXT);
        try {
            this.queue = createQueue();
        } catch (RuntimeException e) {
            clReleaseContext(context);
            objects.released(ClObjects.Kind.CONTEXT);
            throw e;
        }
        this.allocator = new ClAllocator(context, device, objects);
        this.pool = new BufferPool(allocator);
        this.programs = new Programs(context, device, cache, objects);
        this.launcher = new Launcher(this, queue, device.name());
        this.reduceGroup = Integer.highestOneBit((int) Math.min(Launcher.GROUP_SIZE, device.maxWorkGroupSize()));
        TiledGemm tiled = new TiledGemm(programs, launcher, device, GemmTiles.forDevice(device));
        String gemmNote = null;
        GemmEngine chosen = tiled;
        if (gemmChoice == GemmChoice.CLBLAST) {
            try {
                chosen = ClBlastGemm.open(queue, launcher, tiled);
            } catch (IllegalStateException e) {
                gemmNote = tiled.describe() + " (CLBlast was asked for but " + e.getMessage() + ")";
            }
        }
        this.gemm = chosen;
        this.info = new DeviceInfo(probed.device(), probed.name(), probed.accelerator(), probed.memoryBytes(),
                probed.computeUnits(), null,
                OpenClProbe.details(device, gemmChoice, gemmNote != null ? gemmNote : gemm.describe()));
    }

    /** The OpenCL 1.2 call, not its 2.0 replacement: the backend must also run on 1.2-only platforms. */
    @SuppressWarnings("deprecation")
    private cl_command_queue createQueue() {
        cl_command_queue q = clCreateCommandQueue(context, device.id(), 0, null);
        objects.created(ClObjects.Kind.QUEUE);
        return q;
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    @Override
    public BufferPool pool() {
        return pool;
    }

    /** The programs built so far, for tests. */
    Programs programs() {
        return programs;
    }

    /** The kernel launcher, for tests that run an engine with other tiles. */
    Launcher launcher() {
        return launcher;
    }

    ClDevice device() {
        return device;
    }

    /** OpenCL objects this backend holds now, by kind; empty after {@link #close()}. */
    Map<ClObjects.Kind, Long> liveObjects() {
        return objects.live();
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the OpenCL backend for " + info.device() + " is closed");
        }
    }

    private Launcher.Call call(String file, String kernel) {
        return launcher.call(programs.kernel(file, "", kernel));
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
        if (count == 0) {
            return;
        }
        ClBuffer buffer = launcher.bufferOf(dst);
        if (count > StagingBuffers.MAX_STAGED_FLOATS) {
            // Too large for one direct buffer: write straight from the array, which must wait for the copy.
            launcher.enqueue("upload", () -> clEnqueueWriteBuffer(queue, buffer.mem(), true, dst.offset() * 4,
                    count * 4L, Pointer.to(src).withByteOffset(srcOffset * 4L), 0, null, null));
            return;
        }
        ByteBuffer host = staging.stage(src, srcOffset, count);
        launcher.enqueue("upload", () -> clEnqueueWriteBuffer(queue, buffer.mem(), false, dst.offset() * 4,
                count * 4L, Pointer.to(host), 0, null, null));
        if (staging.overLimit()) {
            clFinish(queue);
            staging.releaseAll();
        }
    }

    @Override
    public synchronized void download(Tensor src, float[] dst, int dstOffset) {
        open();
        int count = n("download", src);
        if (dstOffset < 0 || (long) dstOffset + count > dst.length) {
            throw new IllegalArgumentException("download: " + count + " floats to offset " + dstOffset
                    + " do not fit in a destination array of " + dst.length);
        }
        ClBuffer buffer = launcher.bufferOf(src);
        launcher.enqueue("download", () -> {
            if (count == 0) {
                clFinish(queue);
            } else {
                clEnqueueReadBuffer(queue, buffer.mem(), true, src.offset() * 4, count * 4L,
                        Pointer.to(dst).withByteOffset(dstOffset * 4L), 0, null, null);
            }
        });
        staging.releaseAll();
    }

    @Override
    public synchronized void copy(Tensor src, Tensor dst) {
        open();
        Checks.size("copy", "dst", dst, src.size());
        ClBuffer from = launcher.bufferOf(src);
        ClBuffer to = launcher.bufferOf(dst);
        if (src.size() == 0 || (from == to && src.offset() == dst.offset())) {
            return;
        }
        launcher.enqueue("copy", () -> clEnqueueCopyBuffer(queue, from.mem(), to.mem(), src.offset() * 4,
                dst.offset() * 4, src.size() * 4, 0, null, null));
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
        gemm.run(spec, a, b, c);
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
        String options = "-DREDUCE_GROUP=" + reduceGroup;
        Programs.Kernel grouped = programs.kernel("reduce.cl", options, "sum_grouped");
        // Long reductions get a work-group each; short ones one work-item each (barriers would cost more).
        if (length >= 2 * reduceGroup && grouped.maxWorkGroupSize() >= reduceGroup) {
            launcher.call(grouped).ints(outer, length, inner).floats(alpha, beta).tensor(x).tensor(out)
                    .run(new long[] {(long) outputs * reduceGroup}, new long[] {reduceGroup});
        } else {
            launcher.call(programs.kernel("reduce.cl", options, "sum_serial")).ints(outer, length, inner)
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
        call("reduce.cl", "argmax_rows").ints(rows, cols).tensor(x).tensor(out).run1d(rows);
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

    /** Waits for the queue, then releases CLBlast's programs, kernels, programs, every buffer, queue, context. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            clFinish(queue);
        } finally {
            staging.releaseAll();
            gemm.close();
            programs.close();
            pool.close();
            allocator.close();
            clReleaseCommandQueue(queue);
            objects.released(ClObjects.Kind.QUEUE);
            clReleaseContext(context);
            objects.released(ClObjects.Kind.CONTEXT);
        }
    }
}
