package dev.cortado.backend;

import dev.cortado.device.DeviceInfo;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/**
 * The op set of one open device. Layers, losses and optimizers call only these methods, so the same layer stack
 * runs on every device. Each op is one method; every backend implements all of them and passes the conformance
 * suite in the runtime's test-jar.
 *
 * <p>Conventions for every op: tensors are contiguous float32 in row-major order and belong to this backend;
 * sizes are checked against the arguments and a mismatch throws {@link IllegalArgumentException}; an output is
 * fully written (never read unless the op says so, as with a non-zero {@code beta}), so its old contents,
 * NaN included, never leak into results. Ops may run asynchronously; {@link #download} waits for them.
 */
public interface Backend extends AutoCloseable {

    /** The device this backend runs on, as its provider described it. */
    DeviceInfo info();

    /** The caching allocator every tensor of this backend comes from. */
    BufferPool pool();

    /** A new tensor of the given shape from the pool; contents undefined. */
    default Tensor allocate(Shape shape) {
        return Tensor.allocate(this, shape);
    }

    /** A new tensor of the given shape with every element {@code value}. */
    default Tensor full(Shape shape, float value) {
        Tensor t = allocate(shape);
        fill(t, value);
        return t;
    }

    /** A new tensor holding a copy of {@code data}, whose length must equal the shape's size. */
    default Tensor upload(Shape shape, float[] data) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("data has " + data.length + " floats, shape " + shape + " needs "
                    + shape.size());
        }
        Tensor t = allocate(shape);
        upload(data, 0, t);
        return t;
    }

    // ---- memory ------------------------------------------------------------------------------------------

    /** Copies {@code dst.size()} floats from {@code src[srcOffset..]} into {@code dst}. */
    void upload(float[] src, int srcOffset, Tensor dst);

    /** Copies all of {@code src} into {@code dst[dstOffset..]}, after every earlier op has finished. */
    void download(Tensor src, float[] dst, int dstOffset);

    /** The uploads and downloads made so far, {@link Tensor#toArray()} and {@link Tensor#item()} included. */
    TransferStats transfers();

    /** {@code dst = src}; sizes must be equal. */
    void copy(Tensor src, Tensor dst);

    /** Sets every element of {@code dst} to {@code value}. */
    void fill(Tensor dst, float value);

    // ---- linear algebra and convolution -------------------------------------------------------------------

    /** Matrix product as {@link GemmSpec} describes; A, B and C must not overlap. */
    void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c);

    /**
     * Unfolds an NCHW image batch of {@code g.imageSize()} floats into a column matrix of
     * {@code g.columnRows() x g.columnCols()} floats, laid out as {@link ConvGeometry} describes.
     */
    void im2col(ConvGeometry g, Tensor image, Tensor columns);

    /**
     * The adjoint of {@link #im2col}: every image element becomes the sum of the column entries that were copied
     * from it (0 where none were). Overwrites {@code image}.
     */
    void col2im(ConvGeometry g, Tensor columns, Tensor image);

    /** Swaps the two leading axes of an {@code (a, b, c)} tensor: {@code dst[j][i][k] = src[i][j][k]}. */
    void swapLeadingAxes(int a, int b, int c, Tensor src, Tensor dst);

    // ---- element-wise --------------------------------------------------------------------------------------

    /** {@code y[i] = op(x[i])}; {@code y} may be {@code x}. */
    void map(UnaryOp op, Tensor x, Tensor y);

    /** {@code y[i] = scale * x[i] + shift}; {@code y} may be {@code x}. */
    void affine(float scale, Tensor x, float shift, Tensor y);

    /**
     * {@code out[i] = op(a[i], b[(i / bInner) % b.size()])}: b is broadcast along the other axes. With
     * {@code bInner = 1} and {@code b} of a row's length this adds a bias per column of a matrix; with
     * {@code bInner = H*W} and {@code b} of length C it applies per channel of an NCHW batch; with b as large as
     * a it is plain element-wise. {@code a.size()} must be a multiple of {@code b.size() * bInner};
     * {@code out} may be {@code a}.
     */
    void zip(BinaryOp op, Tensor a, Tensor b, int bInner, Tensor out);

    /** {@code y = alpha * x + beta * y}, element-wise (y is not read when beta is 0). */
    void axpby(float alpha, Tensor x, float beta, Tensor y);

    // ---- reductions ----------------------------------------------------------------------------------------

    /**
     * Sums the middle axis of x viewed as {@code (outer, length, inner)}:
     * {@code out[o*inner + i] = alpha * sum_l x[(o*length + l)*inner + i] + beta * out[o*inner + i]}
     * (out is not read when beta is 0).
     */
    void sum(Tensor x, int outer, int length, int inner, float alpha, float beta, Tensor out);

    /** {@code out[r]} = the column index (as a float) of the first maximum of row {@code r} of x. */
    void argmax(Tensor x, int rows, int cols, Tensor out);

    // ---- fused softmax cross-entropy -------------------------------------------------------------------------

    /**
     * For logits of shape (N, C) and labels (N floats holding class indices in [0, C)): writes the row-wise
     * softmax into {@code probs} (N, C) and {@code -log softmax(logits)[n][label[n]]}, computed stably, into
     * {@code rowLoss} (N).
     */
    void softmaxCrossEntropyForward(Tensor logits, Tensor labels, Tensor probs, Tensor rowLoss);

    /** {@code dLogits[n][c] = scale * (probs[n][c] - (c == label[n] ? 1 : 0))}. */
    void softmaxCrossEntropyBackward(Tensor probs, Tensor labels, float scale, Tensor dLogits);

    // ---- pooling -------------------------------------------------------------------------------------------

    /** Pools x ({@code spec.inputSize()}) into y ({@code spec.outputSize()}). */
    void poolForward(PoolSpec spec, Tensor x, Tensor y);

    /** The gradient of {@link #poolForward}: overwrites dx from x and dy. */
    void poolBackward(PoolSpec spec, Tensor x, Tensor dy, Tensor dx);

    // ---- activations and dropout -------------------------------------------------------------------------

    /** {@code y = f(x)}; {@code y} may be {@code x}. */
    void activationForward(Activation f, float alpha, Tensor x, Tensor y);

    /** {@code dx = f'(x) * dy}, from x or y as {@link Activation} says; {@code dx} may be {@code dy}. */
    void activationBackward(Activation f, float alpha, Tensor x, Tensor y, Tensor dy, Tensor dx);

    /** {@code y = keep(i) ? x / (1-p) : 0} with the mask {@link DropoutSpec} defines. */
    void dropoutForward(DropoutSpec spec, Tensor x, Tensor y);

    /** {@code dx = keep(i) ? dy / (1-p) : 0} with the same mask as the forward pass. */
    void dropoutBackward(DropoutSpec spec, Tensor dy, Tensor dx);

    // ---- fused optimizer updates -----------------------------------------------------------------------------

    /** Updates {@code param} and {@code velocity} in place, as {@link SgdStep} describes. */
    void sgdUpdate(SgdStep step, Tensor param, Tensor grad, Tensor velocity);

    /** Updates {@code param}, {@code m} and {@code v} in place, as {@link AdamStep} describes. */
    void adamUpdate(AdamStep step, Tensor param, Tensor grad, Tensor m, Tensor v);

    /** Waits for every op to finish, releases the pool and every device object. */
    @Override
    void close();
}
