package dev.cortado.backend;

import dev.cortado.device.DeviceInfo;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.OptionalInt;

/**
 * The op set of one open device. Layers, losses and optimizers call only these methods, so the same layer stack
 * runs on every device. Each op is one method; every backend implements all of them (the convolution and
 * batch-norm ops have defaults composed from the other ops, which a backend may replace) and passes the
 * conformance suite in the runtime's test-jar.
 *
 * <p>The contract is the same on every device because it is checked here, once, before a backend sees the call:
 * every public op checks its arguments (sizes, ranges, overlaps, class labels), that its tensors belong to this
 * backend and are not closed, and that the backend is open, then calls the backend's {@code do...} method. A
 * mistake throws {@link IllegalArgumentException} (a bad argument) or {@link IllegalStateException} (a closed
 * tensor or backend), with one message that names the op, the argument and the sizes. A backend implements the
 * {@code do...} methods and may assume their arguments are valid.
 *
 * <p>Conventions for every op: tensors are contiguous float32 in row-major order; an output is fully written
 * (never read unless the op says so, as with a non-zero {@code beta}), so its old contents, NaN included, never
 * leak into results. Ops may run asynchronously; {@link #download} waits for them.
 */
public abstract class Backend implements AutoCloseable {
    private volatile boolean closed;

    /** The device this backend runs on, as its provider described it. */
    public abstract DeviceInfo info();

    /** The caching allocator every tensor of this backend comes from. */
    public abstract BufferPool pool();

    /** The uploads and downloads made so far, {@link Tensor#toArray()} and {@link Tensor#item()} included. */
    public abstract TransferStats transfers();

    // ---- memory ------------------------------------------------------------------------------------------

    /** A new tensor of the given shape from the pool; contents undefined. */
    public final Tensor allocate(Shape shape) {
        requireOpen("allocate");
        return Tensor.allocate(this, shape);
    }

    /** A new tensor of the given shape with every element {@code value}. */
    public final Tensor full(Shape shape, float value) {
        Tensor t = allocate(shape);
        fill(t, value);
        return t;
    }

    /** A new tensor holding a copy of {@code data}, whose length must equal the shape's size. */
    public final Tensor upload(Shape shape, float[] data) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("upload: data has " + data.length + " floats, shape " + shape
                    + " needs " + shape.size());
        }
        Tensor t = allocate(shape);
        upload(data, 0, t);
        return t;
    }

    /** Copies {@code dst.size()} floats from {@code src[srcOffset..]} into {@code dst}. */
    public final void upload(float[] src, int srcOffset, Tensor dst) {
        String op = "upload";
        use(op, "dst", dst);
        Checks.hostRange(op, src.length, srcOffset, dst);
        dst.written();
        doUpload(src, srcOffset, dst);
    }

    /**
     * Uploads class labels, as {@link #upload(float[], int, Tensor)} does, after checking on the host that each
     * is a class index (a whole number, at least 0). The softmax cross-entropy ops then check them against the
     * number of classes without reading them back from the device.
     */
    public final void uploadLabels(float[] src, int srcOffset, Tensor dst) {
        String op = "uploadLabels";
        use(op, "dst", dst);
        Checks.hostRange(op, src.length, srcOffset, dst);
        int bound = Checks.labelBound(op, src, srcOffset, Math.toIntExact(dst.size()));
        dst.written();
        doUpload(src, srcOffset, dst);
        dst.recordLabels(bound);
    }

    /** Copies all of {@code src} into {@code dst[dstOffset..]}, after every earlier op has finished. */
    public final void download(Tensor src, float[] dst, int dstOffset) {
        String op = "download";
        use(op, "src", src);
        Checks.hostRange(op, dst.length, dstOffset, src);
        doDownload(src, dst, dstOffset);
    }

    /** {@code dst = src}; sizes must be equal, and the two must be the same range or not overlap. */
    public final void copy(Tensor src, Tensor dst) {
        String op = "copy";
        use(op, "src", src);
        use(op, "dst", dst);
        Checks.size(op, "dst", dst, src.size());
        if (!(src.buffer() == dst.buffer() && src.offset() == dst.offset())) {
            Checks.disjoint(op, "dst", dst, dst.size(), "src", src, src.size());
        }
        dst.written();
        doCopy(src, dst);
    }

    /** Sets every element of {@code dst} to {@code value}. */
    public final void fill(Tensor dst, float value) {
        use("fill", "dst", dst);
        dst.written();
        doFill(dst, value);
        if (value == 0f) {
            dst.recordZeros();
        }
    }

    // ---- linear algebra and convolution -------------------------------------------------------------------

    /**
     * Matrix product as {@link GemmSpec} describes; C must not overlap A or B. Products with {@code m} or
     * {@code n} of 0 do nothing.
     */
    public final void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        String op = "gemm";
        use(op, "A", a);
        use(op, "B", b);
        use(op, "C", c);
        Checks.atLeast(op, "A", a, spec.extentA());
        Checks.atLeast(op, "B", b, spec.extentB());
        Checks.atLeast(op, "C", c, spec.extentC());
        Checks.disjoint(op, "C", c, spec.extentC(), "A", a, spec.extentA());
        Checks.disjoint(op, "C", c, spec.extentC(), "B", b, spec.extentB());
        float beta = betaOver(spec.beta(), c);
        c.written();
        if (spec.m() > 0 && spec.n() > 0) {
            doGemm(beta == spec.beta() ? spec : spec.scaled(spec.alpha(), beta), a, b, c);
        }
    }

    /**
     * Unfolds an NCHW image batch of {@code g.imageSize()} floats into a column matrix of
     * {@code g.columnRows() x g.columnCols()} floats, laid out as {@link ConvGeometry} describes.
     */
    public final void im2col(ConvGeometry g, Tensor image, Tensor columns) {
        String op = "im2col";
        use(op, "image", image);
        use(op, "columns", columns);
        Checks.size(op, "image", image, g.imageSize());
        Checks.size(op, "columns", columns, g.columnRows() * g.columnCols());
        Checks.disjoint(op, "columns", columns, columns.size(), "image", image, image.size());
        columns.written();
        doIm2col(g, image, columns);
    }

    /**
     * The adjoint of {@link #im2col}: every image element becomes the sum of the column entries that were copied
     * from it (0 where none were). Overwrites {@code image}.
     */
    public final void col2im(ConvGeometry g, Tensor columns, Tensor image) {
        String op = "col2im";
        use(op, "columns", columns);
        use(op, "image", image);
        Checks.size(op, "columns", columns, g.columnRows() * g.columnCols());
        Checks.size(op, "image", image, g.imageSize());
        Checks.disjoint(op, "image", image, image.size(), "columns", columns, columns.size());
        image.written();
        doCol2im(g, columns, image);
    }

    /**
     * A convolution without bias, as {@link ConvSpec} describes: x ({@code geometry.imageSize()}), the weight w
     * ({@code spec.weightSize()}), y ({@code spec.outputSize()}, NCHW) overwritten.
     */
    public final void convolutionForward(ConvSpec spec, Tensor x, Tensor w, Tensor y) {
        String op = "convolutionForward";
        use(op, "x", x);
        use(op, "w", w);
        use(op, "y", y);
        Checks.size(op, "x", x, spec.geometry().imageSize());
        Checks.size(op, "w", w, spec.weightSize());
        Checks.size(op, "y", y, spec.outputSize());
        Checks.disjoint(op, "y", y, y.size(), "x", x, x.size());
        Checks.disjoint(op, "y", y, y.size(), "w", w, w.size());
        y.written();
        doConvolutionForward(spec, x, w, y);
    }

    /** The weight's gradient of {@link #convolutionForward}, added to dw: {@code dw += dL/dw} from x and dy. */
    public final void convolutionBackwardWeight(ConvSpec spec, Tensor x, Tensor dy, Tensor dw) {
        String op = "convolutionBackwardWeight";
        use(op, "x", x);
        use(op, "dy", dy);
        use(op, "dw", dw);
        Checks.size(op, "x", x, spec.geometry().imageSize());
        Checks.size(op, "dy", dy, spec.outputSize());
        Checks.size(op, "dw", dw, spec.weightSize());
        Checks.disjoint(op, "dw", dw, dw.size(), "x", x, x.size());
        Checks.disjoint(op, "dw", dw, dw.size(), "dy", dy, dy.size());
        dw.written();
        doConvolutionBackwardWeight(spec, x, dy, dw);
    }

    /** The input's gradient of {@link #convolutionForward}: dx overwritten from the weight w and dy. */
    public final void convolutionBackwardInput(ConvSpec spec, Tensor w, Tensor dy, Tensor dx) {
        String op = "convolutionBackwardInput";
        use(op, "w", w);
        use(op, "dy", dy);
        use(op, "dx", dx);
        Checks.size(op, "w", w, spec.weightSize());
        Checks.size(op, "dy", dy, spec.outputSize());
        Checks.size(op, "dx", dx, spec.geometry().imageSize());
        Checks.disjoint(op, "dx", dx, dx.size(), "w", w, w.size());
        Checks.disjoint(op, "dx", dx, dx.size(), "dy", dy, dy.size());
        dx.written();
        doConvolutionBackwardInput(spec, w, dy, dx);
    }

    /** Swaps the two leading axes of an {@code (a, b, c)} tensor: {@code dst[j][i][k] = src[i][j][k]}. */
    public final void swapLeadingAxes(int a, int b, int c, Tensor src, Tensor dst) {
        String op = "swapLeadingAxes";
        use(op, "src", src);
        use(op, "dst", dst);
        Checks.nonNegative(op, "a", a);
        Checks.nonNegative(op, "b", b);
        Checks.nonNegative(op, "c", c);
        long total = (long) a * b * c;
        Checks.size(op, "src", src, total);
        Checks.size(op, "dst", dst, total);
        Checks.disjoint(op, "dst", dst, total, "src", src, total);
        dst.written();
        doSwapLeadingAxes(a, b, c, src, dst);
    }

    // ---- element-wise --------------------------------------------------------------------------------------

    /** {@code y[i] = op(x[i])}; {@code y} may be {@code x}. */
    public final void map(UnaryOp op, Tensor x, Tensor y) {
        sameSize("map", "x", x, "y", y);
        doMap(op, x, y);
    }

    /** {@code y[i] = scale * x[i] + shift}; {@code y} may be {@code x}. */
    public final void affine(float scale, Tensor x, float shift, Tensor y) {
        sameSize("affine", "x", x, "y", y);
        doAffine(scale, x, shift, y);
    }

    /**
     * {@code out[i] = op(a[i], b[(i / bInner) % b.size()])}: b is broadcast along the other axes. With
     * {@code bInner = 1} and {@code b} of a row's length this adds a bias per column of a matrix; with
     * {@code bInner = H*W} and {@code b} of length C it applies per channel of an NCHW batch; with b as large as
     * a it is plain element-wise. {@code a.size()} must be a multiple of {@code b.size() * bInner};
     * {@code out} may be {@code a}.
     */
    public final void zip(BinaryOp op, Tensor a, Tensor b, int bInner, Tensor out) {
        String name = "zip";
        use(name, "a", a);
        use(name, "b", b);
        use(name, "out", out);
        Checks.positive(name, "bInner", bInner);
        Checks.positive(name, "b.size()", b.size());
        Checks.multiple(name, "a", a, "b.size() * bInner", b.size() * bInner);
        Checks.size(name, "out", out, a.size());
        out.written();
        doZip(op, a, b, bInner, out);
    }

    /** {@code y = alpha * x + beta * y}, element-wise (y is not read when beta is 0). */
    public final void axpby(float alpha, Tensor x, float beta, Tensor y) {
        sameSize("axpby", "x", x, "y", y);
        doAxpby(alpha, x, beta, y);
    }

    // ---- reductions ----------------------------------------------------------------------------------------

    /**
     * Sums the middle axis of x viewed as {@code (outer, length, inner)}:
     * {@code out[o*inner + i] = alpha * sum_l x[(o*length + l)*inner + i] + beta * out[o*inner + i]}
     * (out is not read when beta is 0). Any of the three may be 0; a sum over length 0 is 0.
     */
    public final void sum(Tensor x, int outer, int length, int inner, float alpha, float beta, Tensor out) {
        String op = "sum";
        use(op, "x", x);
        use(op, "out", out);
        Checks.nonNegative(op, "outer", outer);
        Checks.nonNegative(op, "length", length);
        Checks.nonNegative(op, "inner", inner);
        Checks.size(op, "x", x, (long) outer * length * inner);
        Checks.size(op, "out", out, (long) outer * inner);
        Checks.disjoint(op, "out", out, out.size(), "x", x, x.size());
        float outBeta = betaOver(beta, out);
        out.written();
        if (out.size() > 0) {
            doSum(x, outer, length, inner, alpha, outBeta, out);
        }
    }

    /** {@code out[r]} = the column index (as a float) of the first maximum of row {@code r} of x. */
    public final void argmax(Tensor x, int rows, int cols, Tensor out) {
        String op = "argmax";
        use(op, "x", x);
        use(op, "out", out);
        Checks.nonNegative(op, "rows", rows);
        Checks.positive(op, "cols", cols);
        Checks.size(op, "x", x, (long) rows * cols);
        Checks.size(op, "out", out, rows);
        Checks.disjoint(op, "out", out, out.size(), "x", x, x.size());
        out.written();
        if (rows > 0) {
            doArgmax(x, rows, cols, out);
        }
    }

    // ---- fused softmax cross-entropy -------------------------------------------------------------------------

    /**
     * For logits of shape (N, C) and labels (N floats holding class indices in [0, C)): writes the row-wise
     * softmax into {@code probs} (N, C) and {@code -log softmax(logits)[n][label[n]]}, computed stably, into
     * {@code rowLoss} (N). Labels are checked against C: without reading them back when they were uploaded with
     * {@link #uploadLabels}, else by downloading them.
     */
    public final void softmaxCrossEntropyForward(Tensor logits, Tensor labels, Tensor probs, Tensor rowLoss) {
        softmaxCrossEntropyForward(logits, labels, 0f, probs, rowLoss);
    }

    /**
     * As {@link #softmaxCrossEntropyForward(Tensor, Tensor, Tensor, Tensor)}, with label smoothing {@code eps} in
     * [0, 1] as PyTorch's {@code CrossEntropyLoss(label_smoothing=eps)} defines it: the target puts
     * {@code 1 - eps + eps/C} on the label and {@code eps/C} on every other class, so {@code rowLoss[n] =
     * (1 - eps) * -log p[n][label[n]] + eps/C * sum_c -log p[n][c]}, computed stably. With eps = 0 it is the plain
     * cross-entropy, bit for bit.
     */
    public final void softmaxCrossEntropyForward(Tensor logits, Tensor labels, float smoothing, Tensor probs,
                                                 Tensor rowLoss) {
        String op = "softmaxCrossEntropyForward";
        use(op, "logits", logits);
        use(op, "probs", probs);
        use(op, "rowLoss", rowLoss);
        Checks.smoothing(op, smoothing);
        int rows = checkLabels(op, "logits", logits, labels);
        Checks.size(op, "probs", probs, logits.size());
        Checks.size(op, "rowLoss", rowLoss, rows);
        probs.written();
        rowLoss.written();
        doSoftmaxCrossEntropyForward(logits, labels, smoothing, probs, rowLoss);
    }

    /** {@code dLogits[n][c] = scale * (probs[n][c] - (c == label[n] ? 1 : 0))}; labels checked as above. */
    public final void softmaxCrossEntropyBackward(Tensor probs, Tensor labels, float scale, Tensor dLogits) {
        softmaxCrossEntropyBackward(probs, labels, 0f, scale, dLogits);
    }

    /**
     * The gradient with label smoothing {@code eps} in [0, 1]: {@code dLogits[n][c] = scale * (probs[n][c] -
     * target[n][c])} with {@code target[n][c] = (c == label[n] ? 1 - eps : 0) + eps/C}; {@code dLogits} may be
     * {@code probs}.
     */
    public final void softmaxCrossEntropyBackward(Tensor probs, Tensor labels, float smoothing, float scale,
                                                  Tensor dLogits) {
        String op = "softmaxCrossEntropyBackward";
        use(op, "probs", probs);
        use(op, "dLogits", dLogits);
        Checks.smoothing(op, smoothing);
        checkLabels(op, "probs", probs, labels);
        Checks.size(op, "dLogits", dLogits, probs.size());
        dLogits.written();
        doSoftmaxCrossEntropyBackward(probs, labels, smoothing, scale, dLogits);
    }

    /** Checks (N, C) scores and N labels in [0, C); returns N. */
    private int checkLabels(String op, String name, Tensor scores, Tensor labels) {
        use(op, "labels", labels);
        Shape shape = scores.shape();
        if (shape.rank() != 2 || shape.dim(1) < 1) {
            throw new IllegalArgumentException(op + ": " + name + " must be (N, C) with C >= 1, got " + shape);
        }
        int rows = shape.dim(0);
        int classes = shape.dim(1);
        Checks.size(op, "labels", labels, rows);
        OptionalInt checked = labels.recordedLabelBound();
        if (checked.isEmpty() || checked.getAsInt() > classes) {
            float[] host = new float[rows];
            doDownload(labels, host, 0);
            Checks.labelsBelow(op, host, classes);
        }
        return rows;
    }

    // ---- batch normalization -------------------------------------------------------------------------------

    /**
     * Batch normalization in training: per channel, {@code mean} and the biased {@code variance} of x over the
     * batch and spatial positions, and {@code y = (x - mean) / sqrt(variance + epsilon) * weight + bias}. y, mean
     * and variance are overwritten; weight and bias hold a float per channel.
     */
    public final void batchNormForward(BatchNormSpec spec, float epsilon, Tensor x, Tensor weight, Tensor bias,
                                       Tensor y, Tensor mean, Tensor variance) {
        checkBatchNormForward("batchNormForward", spec, epsilon, x, weight, bias, y, mean, variance);
        doBatchNormForward(spec, epsilon, x, weight, bias, y, mean, variance);
    }

    /**
     * {@link #batchNormForward} followed by ReLU: y is {@code max(0, ...)} of its output, in one pass where the
     * backend fuses them (a batch norm and the ReLU after it, as in a residual network's blocks).
     */
    public final void batchNormReluForward(BatchNormSpec spec, float epsilon, Tensor x, Tensor weight, Tensor bias,
                                           Tensor y, Tensor mean, Tensor variance) {
        checkBatchNormForward("batchNormReluForward", spec, epsilon, x, weight, bias, y, mean, variance);
        doBatchNormReluForward(spec, epsilon, x, weight, bias, y, mean, variance);
    }

    private void checkBatchNormForward(String op, BatchNormSpec spec, float epsilon, Tensor x, Tensor weight,
                                       Tensor bias, Tensor y, Tensor mean, Tensor variance) {
        use(op, "x", x);
        use(op, "weight", weight);
        use(op, "bias", bias);
        use(op, "y", y);
        use(op, "mean", mean);
        use(op, "variance", variance);
        if (!(epsilon > 0f)) {
            throw new IllegalArgumentException(op + ": epsilon must be positive, got " + epsilon);
        }
        Checks.size(op, "x", x, spec.size());
        Checks.size(op, "y", y, spec.size());
        Checks.size(op, "weight", weight, spec.channels());
        Checks.size(op, "bias", bias, spec.channels());
        Checks.size(op, "mean", mean, spec.channels());
        Checks.size(op, "variance", variance, spec.channels());
        Checks.disjoint(op, "y", y, y.size(), "x", x, x.size());
        Checks.disjoint(op, "mean", mean, mean.size(), "variance", variance, variance.size());
        y.written();
        mean.written();
        variance.written();
    }

    /**
     * Batch normalization in evaluation, with given statistics (a layer's running ones): per channel
     * {@code y = (x - mean) / sqrt(variance + epsilon) * weight + bias}. y is overwritten; mean, variance, weight
     * and bias hold a float per channel.
     */
    public final void batchNormInference(BatchNormSpec spec, float epsilon, Tensor x, Tensor mean, Tensor variance,
                                         Tensor weight, Tensor bias, Tensor y) {
        checkBatchNormInference("batchNormInference", spec, epsilon, x, mean, variance, weight, bias, y);
        doBatchNormInference(spec, epsilon, x, mean, variance, weight, bias, y);
    }

    /** {@link #batchNormInference} followed by ReLU, in one pass where the backend fuses them. */
    public final void batchNormReluInference(BatchNormSpec spec, float epsilon, Tensor x, Tensor mean,
                                             Tensor variance, Tensor weight, Tensor bias, Tensor y) {
        checkBatchNormInference("batchNormReluInference", spec, epsilon, x, mean, variance, weight, bias, y);
        doBatchNormReluInference(spec, epsilon, x, mean, variance, weight, bias, y);
    }

    private void checkBatchNormInference(String op, BatchNormSpec spec, float epsilon, Tensor x, Tensor mean,
                                         Tensor variance, Tensor weight, Tensor bias, Tensor y) {
        use(op, "x", x);
        use(op, "mean", mean);
        use(op, "variance", variance);
        use(op, "weight", weight);
        use(op, "bias", bias);
        use(op, "y", y);
        if (!(epsilon > 0f)) {
            throw new IllegalArgumentException(op + ": epsilon must be positive, got " + epsilon);
        }
        Checks.size(op, "x", x, spec.size());
        Checks.size(op, "y", y, spec.size());
        Checks.size(op, "mean", mean, spec.channels());
        Checks.size(op, "variance", variance, spec.channels());
        Checks.size(op, "weight", weight, spec.channels());
        Checks.size(op, "bias", bias, spec.channels());
        Checks.disjoint(op, "y", y, y.size(), "x", x, x.size());
        y.written();
    }

    /**
     * The gradients of {@link #batchNormForward} from dy, given the forward pass's x, mean and
     * {@code invStd = 1 / sqrt(variance + epsilon)}: per channel {@code dWeight += sum(dy * xhat)} and
     * {@code dBias += sum(dy)} with {@code xhat = (x - mean) * invStd}, and, unless dx is null,
     * {@code dx = weight * invStd * (dy - mean(dy) - xhat * mean(dy * xhat))} (dx overwritten).
     */
    public final void batchNormBackward(BatchNormSpec spec, Tensor x, Tensor mean, Tensor invStd, Tensor weight,
                                        Tensor dy, Tensor dWeight, Tensor dBias, Tensor dx) {
        String op = "batchNormBackward";
        use(op, "x", x);
        use(op, "mean", mean);
        use(op, "invStd", invStd);
        use(op, "weight", weight);
        use(op, "dy", dy);
        use(op, "dWeight", dWeight);
        use(op, "dBias", dBias);
        Checks.size(op, "x", x, spec.size());
        Checks.size(op, "dy", dy, spec.size());
        Checks.size(op, "mean", mean, spec.channels());
        Checks.size(op, "invStd", invStd, spec.channels());
        Checks.size(op, "weight", weight, spec.channels());
        Checks.size(op, "dWeight", dWeight, spec.channels());
        Checks.size(op, "dBias", dBias, spec.channels());
        Checks.disjoint(op, "dWeight", dWeight, dWeight.size(), "dBias", dBias, dBias.size());
        if (dx != null) {
            use(op, "dx", dx);
            Checks.size(op, "dx", dx, spec.size());
            Checks.disjoint(op, "dx", dx, dx.size(), "dy", dy, dy.size());
            Checks.disjoint(op, "dx", dx, dx.size(), "x", x, x.size());
            dx.written();
        }
        dWeight.written();
        dBias.written();
        doBatchNormBackward(spec, x, mean, invStd, weight, dy, dWeight, dBias, dx);
    }

    // ---- pooling -------------------------------------------------------------------------------------------

    /** Pools x ({@code spec.inputSize()}) into y ({@code spec.outputSize()}). */
    public final void poolForward(PoolSpec spec, Tensor x, Tensor y) {
        String op = "poolForward";
        use(op, "x", x);
        use(op, "y", y);
        Checks.size(op, "x", x, spec.inputSize());
        Checks.size(op, "y", y, spec.outputSize());
        Checks.disjoint(op, "y", y, y.size(), "x", x, x.size());
        y.written();
        doPoolForward(spec, x, y);
    }

    /**
     * The gradient of {@link #poolForward}: overwrites dx from dy, and from x for max pooling (average pooling
     * does not read x, which may then be null).
     */
    public final void poolBackward(PoolSpec spec, Tensor x, Tensor dy, Tensor dx) {
        String op = "poolBackward";
        use(op, "dy", dy);
        use(op, "dx", dx);
        if (spec.kind() == PoolSpec.Kind.MAX || x != null) {
            use(op, "x", Checks.present(op, "x", x, "max pooling"));
            Checks.size(op, "x", x, spec.inputSize());
            Checks.disjoint(op, "dx", dx, dx.size(), "x", x, x.size());
        }
        Checks.size(op, "dy", dy, spec.outputSize());
        Checks.size(op, "dx", dx, spec.inputSize());
        Checks.disjoint(op, "dx", dx, dx.size(), "dy", dy, dy.size());
        dx.written();
        doPoolBackward(spec, x, dy, dx);
    }

    // ---- activations and dropout -------------------------------------------------------------------------

    /** {@code y = f(x)}; {@code y} may be {@code x}. */
    public final void activationForward(Activation f, float alpha, Tensor x, Tensor y) {
        sameSize("activationForward", "x", x, "y", y);
        doActivationForward(f, alpha, x, y);
    }

    /**
     * {@code dx = f'(x) * dy}, from x or y as {@link Activation#gradientFromInput()} says (the other may be
     * null); {@code dx} may be {@code dy}.
     */
    public final void activationBackward(Activation f, float alpha, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        String op = "activationBackward";
        String name = f.gradientFromInput() ? "x" : "y";
        Tensor from = Checks.present(op, name, f.gradientFromInput() ? x : y, f);
        use(op, name, from);
        use(op, "dy", dy);
        use(op, "dx", dx);
        Checks.size(op, name, from, dy.size());
        Checks.size(op, "dx", dx, dy.size());
        dx.written();
        doActivationBackward(f, alpha, from, dy, dx);
    }

    /**
     * {@code out = max(a + b, 0)}, element-wise, the sum rounded first and then clamped as ReLU's
     * {@link #activationForward} clamps: a residual block's sum and its ReLU in one pass. {@code out} may be
     * {@code a} or {@code b}.
     */
    public final void addRelu(Tensor a, Tensor b, Tensor out) {
        String op = "addRelu";
        use(op, "a", a);
        use(op, "b", b);
        use(op, "out", out);
        Checks.size(op, "b", b, a.size());
        Checks.size(op, "out", out, a.size());
        out.written();
        doAddRelu(a, b, out);
    }

    /** {@code y = keep(i) ? x / (1-p) : 0} with the mask {@link DropoutSpec} defines; {@code y} may be {@code x}. */
    public final void dropoutForward(DropoutSpec spec, Tensor x, Tensor y) {
        sameSize("dropoutForward", "x", x, "y", y);
        doDropout(spec, x, y);
    }

    /** {@code dx = keep(i) ? dy / (1-p) : 0} with the same mask as the forward pass; {@code dx} may be {@code dy}. */
    public final void dropoutBackward(DropoutSpec spec, Tensor dy, Tensor dx) {
        sameSize("dropoutBackward", "dy", dy, "dx", dx);
        doDropout(spec, dy, dx);
    }

    // ---- fused optimizer updates -----------------------------------------------------------------------------

    /**
     * Updates {@code param} and {@code velocity} in place, as {@link SgdStep} describes, and zeroes {@code grad}
     * for the next step's gradients to add into: the update reads each gradient once, so zeroing it there saves
     * the optimizer a pass over every gradient. The zeros are then known, so the first op that adds into grad
     * writes over it without reading it.
     */
    public final void sgdUpdate(SgdStep step, Tensor param, Tensor grad, Tensor velocity) {
        String op = "sgdUpdate";
        use(op, "param", param);
        use(op, "grad", grad);
        Checks.size(op, "grad", grad, param.size());
        if (step.momentum() != 0f) {
            use(op, "velocity", Checks.present(op, "velocity", velocity, "momentum " + step.momentum()));
            Checks.size(op, "velocity", velocity, param.size());
            velocity.written();
        }
        param.written();
        grad.written();
        doSgdUpdate(step, param, grad, step.momentum() != 0f ? velocity : null);
        grad.recordZeros();
    }

    /**
     * Updates {@code param}, {@code m} and {@code v} in place, as {@link AdamStep} describes, and zeroes
     * {@code grad}, as {@link #sgdUpdate} does.
     */
    public final void adamUpdate(AdamStep step, Tensor param, Tensor grad, Tensor m, Tensor v) {
        String op = "adamUpdate";
        use(op, "param", param);
        use(op, "grad", grad);
        use(op, "m", m);
        use(op, "v", v);
        Checks.size(op, "grad", grad, param.size());
        Checks.size(op, "m", m, param.size());
        Checks.size(op, "v", v, param.size());
        param.written();
        m.written();
        v.written();
        grad.written();
        doAdamUpdate(step, param, grad, m, v);
        grad.recordZeros();
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    /** True once {@link #close()} was called. */
    public final boolean isClosed() {
        return closed;
    }

    /** Waits for every op to finish, releases the pool and every device object; idempotent. */
    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            doClose();
        }
    }

    // ---- checks shared by the ops -----------------------------------------------------------------------------

    private void requireOpen(String op) {
        if (closed) {
            throw new IllegalStateException(op + ": the backend of " + info().device() + " is closed");
        }
    }

    /** A tensor an op uses: this backend's, open, and the backend open too. */
    private void use(String op, String name, Tensor t) {
        requireOpen(op);
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
        if (t.backend() != this) {
            throw new IllegalArgumentException(op + ": " + name + " " + t + " does not belong to this backend ("
                    + info().device() + (t.backend().info().device().equals(info().device())
                    ? ", another backend of the same device" : "") + ")");
        }
        if (t.isClosed()) { // the message is built only when it is thrown: every op runs this for each tensor
            t.requireOpen(op + ": " + name);
        }
    }

    /**
     * The beta an op that adds into {@code out} ({@code out = result + beta * out}) is run with: 0 where every
     * element of out is known to be zero, which the backend then does not read, as after an optimizer's update has
     * zeroed a gradient that the next backward pass adds into (the MLP's first weight gradient: 157 -> 142 us);
     * else beta. Adding zeros and writing give the same values, but for the sign of a zero result. Asked before the
     * op marks out as written.
     */
    private static float betaOver(float beta, Tensor out) {
        return beta != 0f && Float.isFinite(beta) && out.knownZeros() ? 0f : beta;
    }

    /** An element-wise op's input and output: open, of equal size, the output marked as written. */
    private void sameSize(String op, String inName, Tensor in, String outName, Tensor out) {
        use(op, inName, in);
        use(op, outName, out);
        Checks.size(op, outName, out, in.size());
        out.written();
    }

    // ---- what each backend implements: arguments are valid, tensors are its own and open ------------------------

    /** Copies {@code dst.size()} floats from {@code src[srcOffset..]} into {@code dst}. */
    protected abstract void doUpload(float[] src, int srcOffset, Tensor dst);

    /** Copies all of {@code src} into {@code dst[dstOffset..]}, after every earlier op has finished. */
    protected abstract void doDownload(Tensor src, float[] dst, int dstOffset);

    /** {@code dst = src}, equal sizes; the same range or disjoint ones. */
    protected abstract void doCopy(Tensor src, Tensor dst);

    /** Sets every element of {@code dst} to {@code value}. */
    protected abstract void doFill(Tensor dst, float value);

    /** The product, {@code m} and {@code n} at least 1 ({@code k} may be 0: then {@code C = beta * C}). */
    protected abstract void doGemm(GemmSpec spec, Tensor a, Tensor b, Tensor c);

    /** See {@link #im2col}. */
    protected abstract void doIm2col(ConvGeometry g, Tensor image, Tensor columns);

    /** See {@link #col2im}. */
    protected abstract void doCol2im(ConvGeometry g, Tensor columns, Tensor image);

    /**
     * See {@link #convolutionForward}. By default the whole batch is unfolded into one column matrix, multiplied
     * by the weight and turned from {@code (outC, N, outH*outW)} into NCHW; the two temporaries come from the pool.
     */
    protected void doConvolutionForward(ConvSpec spec, Tensor x, Tensor w, Tensor y) {
        ConvGeometry g = spec.geometry();
        int columns = Math.toIntExact(g.columnCols());
        try (Tensor col = allocate(Shape.of(g.columnRows(), columns));
             Tensor byChannel = allocate(Shape.of(spec.outChannels(), g.batch(), spec.outPlane()))) {
            doIm2col(g, x, col);
            doGemm(spec.forwardProduct(columns), w, col, byChannel);
            doSwapLeadingAxes(spec.outChannels(), g.batch(), spec.outPlane(), byChannel, y);
        }
    }

    /** See {@link #convolutionBackwardWeight}. By default from the batch's column matrix, unfolded again. */
    protected void doConvolutionBackwardWeight(ConvSpec spec, Tensor x, Tensor dy, Tensor dw) {
        ConvGeometry g = spec.geometry();
        int columns = Math.toIntExact(g.columnCols());
        try (Tensor col = allocate(Shape.of(g.columnRows(), columns));
             Tensor dyByChannel = allocate(Shape.of(spec.outChannels(), g.batch(), spec.outPlane()))) {
            doIm2col(g, x, col);
            doSwapLeadingAxes(g.batch(), spec.outChannels(), spec.outPlane(), dy, dyByChannel);
            doGemm(spec.weightGradientProduct(columns), dyByChannel, col, dw);
        }
    }

    /** See {@link #convolutionBackwardInput}. By default the column matrix's gradient, folded by col2im. */
    protected void doConvolutionBackwardInput(ConvSpec spec, Tensor w, Tensor dy, Tensor dx) {
        ConvGeometry g = spec.geometry();
        int columns = Math.toIntExact(g.columnCols());
        try (Tensor dyByChannel = allocate(Shape.of(spec.outChannels(), g.batch(), spec.outPlane()));
             Tensor dcol = allocate(Shape.of(g.columnRows(), columns))) {
            doSwapLeadingAxes(g.batch(), spec.outChannels(), spec.outPlane(), dy, dyByChannel);
            doGemm(spec.columnGradientProduct(columns), w, dyByChannel, dcol);
            doCol2im(g, dcol, dx);
        }
    }

    /**
     * See {@link #batchNormForward}. By default from reductions and broadcast element-wise ops (a dozen passes
     * over x), with temporaries from the pool.
     */
    protected void doBatchNormForward(BatchNormSpec spec, float epsilon, Tensor x, Tensor weight, Tensor bias,
                                      Tensor y, Tensor mean, Tensor variance) {
        int s = spec.spatial();
        float inverseCount = 1f / spec.perChannel();
        Shape whole = Shape.of(Math.toIntExact(spec.size()));
        try (Tensor xhat = allocate(whole); Tensor squares = allocate(whole);
             Tensor invStd = allocate(Shape.of(spec.channels()))) {
            channelSum(spec, x, inverseCount, mean);
            doZip(BinaryOp.SUB, x, mean, s, xhat);
            doMap(UnaryOp.SQUARE, xhat, squares);
            channelSum(spec, squares, inverseCount, variance);
            doAffine(1f, variance, epsilon, invStd);
            doMap(UnaryOp.RSQRT, invStd, invStd);
            doZip(BinaryOp.MUL, xhat, invStd, s, xhat);
            doZip(BinaryOp.MUL, xhat, weight, s, y);
            doZip(BinaryOp.ADD, y, bias, s, y);
        }
    }

    /**
     * See {@link #batchNormInference}. By default as {@code y = x * scale + shift} with per-channel
     * {@code scale = weight / sqrt(variance + epsilon)} and {@code shift = bias - mean * scale}: two broadcast
     * passes over x, with temporaries from the pool.
     */
    protected void doBatchNormInference(BatchNormSpec spec, float epsilon, Tensor x, Tensor mean, Tensor variance,
                                        Tensor weight, Tensor bias, Tensor y) {
        Shape perChannel = Shape.of(spec.channels());
        try (Tensor scale = allocate(perChannel); Tensor shift = allocate(perChannel)) {
            doAffine(1f, variance, epsilon, scale);
            doMap(UnaryOp.RSQRT, scale, scale);
            doZip(BinaryOp.MUL, scale, weight, 1, scale);
            doZip(BinaryOp.MUL, mean, scale, 1, shift);
            doZip(BinaryOp.SUB, bias, shift, 1, shift);
            doZip(BinaryOp.MUL, x, scale, spec.spatial(), y);
            doZip(BinaryOp.ADD, y, shift, spec.spatial(), y);
        }
    }

    /** See {@link #batchNormReluForward}. By default {@link #doBatchNormForward}, then ReLU in place on y. */
    protected void doBatchNormReluForward(BatchNormSpec spec, float epsilon, Tensor x, Tensor weight, Tensor bias,
                                          Tensor y, Tensor mean, Tensor variance) {
        doBatchNormForward(spec, epsilon, x, weight, bias, y, mean, variance);
        doActivationForward(Activation.RELU, 0f, y, y);
    }

    /** See {@link #batchNormReluInference}. By default {@link #doBatchNormInference}, then ReLU in place on y. */
    protected void doBatchNormReluInference(BatchNormSpec spec, float epsilon, Tensor x, Tensor mean,
                                            Tensor variance, Tensor weight, Tensor bias, Tensor y) {
        doBatchNormInference(spec, epsilon, x, mean, variance, weight, bias, y);
        doActivationForward(Activation.RELU, 0f, y, y);
    }

    /** See {@link #batchNormBackward}. By default from reductions and broadcast element-wise ops. */
    protected void doBatchNormBackward(BatchNormSpec spec, Tensor x, Tensor mean, Tensor invStd, Tensor weight,
                                       Tensor dy, Tensor dWeight, Tensor dBias, Tensor dx) {
        int s = spec.spatial();
        float inverseCount = 1f / spec.perChannel();
        Shape whole = Shape.of(Math.toIntExact(spec.size()));
        Shape perChannel = Shape.of(spec.channels());
        try (Tensor xhat = allocate(whole); Tensor products = allocate(whole); Tensor sumDy = allocate(perChannel);
             Tensor sumDyXhat = allocate(perChannel)) {
            doZip(BinaryOp.SUB, x, mean, s, xhat);
            doZip(BinaryOp.MUL, xhat, invStd, s, xhat);
            channelSum(spec, dy, 1f, sumDy);
            doAxpby(1f, sumDy, 1f, dBias);
            doZip(BinaryOp.MUL, dy, xhat, 1, products);
            channelSum(spec, products, 1f, sumDyXhat);
            doAxpby(1f, sumDyXhat, 1f, dWeight);
            if (dx == null) {
                return;
            }
            // dx = weight * invStd * (dy - mean(dy) - xhat * mean(dy * xhat)), means per channel
            doAffine(inverseCount, sumDy, 0f, sumDy);
            doAffine(inverseCount, sumDyXhat, 0f, sumDyXhat);
            doZip(BinaryOp.MUL, xhat, sumDyXhat, s, products);
            doZip(BinaryOp.SUB, dy, products, 1, dx);
            doZip(BinaryOp.SUB, dx, sumDy, s, dx);
            Tensor coefficient = sumDyXhat;
            doZip(BinaryOp.MUL, invStd, weight, 1, coefficient);
            doZip(BinaryOp.MUL, dx, coefficient, s, dx);
        }
    }

    /** {@code out[c] = alpha * sum over the batch and spatial positions of x}, for the batch-norm defaults. */
    private void channelSum(BatchNormSpec spec, Tensor x, float alpha, Tensor out) {
        int n = spec.batch();
        int c = spec.channels();
        if (spec.spatial() == 1) {
            doSum(x, 1, n, c, alpha, 0f, out);
            return;
        }
        try (Tensor partial = allocate(Shape.of(n, c))) {
            doSum(x, n * c, spec.spatial(), 1, 1f, 0f, partial);
            doSum(partial, 1, n, c, alpha, 0f, out);
        }
    }

    /** See {@link #swapLeadingAxes}. */
    protected abstract void doSwapLeadingAxes(int a, int b, int c, Tensor src, Tensor dst);

    /** See {@link #map}. */
    protected abstract void doMap(UnaryOp op, Tensor x, Tensor y);

    /** See {@link #affine}. */
    protected abstract void doAffine(float scale, Tensor x, float shift, Tensor y);

    /** See {@link #zip}. */
    protected abstract void doZip(BinaryOp op, Tensor a, Tensor b, int bInner, Tensor out);

    /** See {@link #axpby}. */
    protected abstract void doAxpby(float alpha, Tensor x, float beta, Tensor y);

    /** See {@link #sum}; {@code out} has at least one element. */
    protected abstract void doSum(Tensor x, int outer, int length, int inner, float alpha, float beta, Tensor out);

    /** See {@link #argmax}; at least one row. */
    protected abstract void doArgmax(Tensor x, int rows, int cols, Tensor out);

    /**
     * See {@link #softmaxCrossEntropyForward(Tensor, Tensor, float, Tensor, Tensor)}; logits are (N, C), every
     * label is in [0, C) and the smoothing in [0, 1].
     */
    protected abstract void doSoftmaxCrossEntropyForward(Tensor logits, Tensor labels, float smoothing,
                                                         Tensor probs, Tensor rowLoss);

    /**
     * See {@link #softmaxCrossEntropyBackward(Tensor, Tensor, float, float, Tensor)}; probs are (N, C), every
     * label is in [0, C) and the smoothing in [0, 1].
     */
    protected abstract void doSoftmaxCrossEntropyBackward(Tensor probs, Tensor labels, float smoothing, float scale,
                                                          Tensor dLogits);

    /** See {@link #poolForward}. */
    protected abstract void doPoolForward(PoolSpec spec, Tensor x, Tensor y);

    /** See {@link #poolBackward}; x is null only for average pooling. */
    protected abstract void doPoolBackward(PoolSpec spec, Tensor x, Tensor dy, Tensor dx);

    /** See {@link #activationForward}. */
    protected abstract void doActivationForward(Activation f, float alpha, Tensor x, Tensor y);

    /**
     * See {@link #activationBackward}; {@code from} is x or y, as {@link Activation#gradientFromInput()} says.
     */
    protected abstract void doActivationBackward(Activation f, float alpha, Tensor from, Tensor dy, Tensor dx);

    /** See {@link #addRelu}. By default the sum, then ReLU in place on out. */
    protected void doAddRelu(Tensor a, Tensor b, Tensor out) {
        doZip(BinaryOp.ADD, a, b, 1, out);
        doActivationForward(Activation.RELU, 0f, out, out);
    }

    /** Dropout forward and backward are the same masked scaling: {@code out = keep(i) ? in / (1-p) : 0}. */
    protected abstract void doDropout(DropoutSpec spec, Tensor in, Tensor out);

    /** See {@link #sgdUpdate}; {@code velocity} is null exactly when the momentum is 0. */
    protected abstract void doSgdUpdate(SgdStep step, Tensor param, Tensor grad, Tensor velocity);

    /** See {@link #adamUpdate}. */
    protected abstract void doAdamUpdate(AdamStep step, Tensor param, Tensor grad, Tensor m, Tensor v);

    /** Waits for every op to finish, releases the pool and every device object; called once. */
    protected abstract void doClose();
}
