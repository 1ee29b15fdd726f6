package dev.cortado.tensor;

import dev.cortado.backend.Backend;
import dev.cortado.backend.DeviceBuffer;

/**
 * A contiguous float32 array with a shape, living on one backend's device. Tensors made by
 * {@link #allocate} own their buffer and return it to the backend's pool on {@link #close()}; views made by
 * {@link #reshape} and {@link #slice} share it and must not outlive their owner. Moving data between host and
 * device is explicit ({@link Backend#upload}, {@link #toArray()}).
 */
public final class Tensor implements AutoCloseable {
    private final Backend backend;
    private final Shape shape;
    private final DeviceBuffer buffer;
    private final long offset;
    private final boolean owner;
    private boolean closed;

    private Tensor(Backend backend, Shape shape, DeviceBuffer buffer, long offset, boolean owner) {
        this.backend = backend;
        this.shape = shape;
        this.buffer = buffer;
        this.offset = offset;
        this.owner = owner;
    }

    /** A new tensor from the backend's pool; contents undefined. */
    public static Tensor allocate(Backend backend, Shape shape) {
        return new Tensor(backend, shape, backend.pool().acquire(shape.size()), 0, true);
    }

    public Backend backend() {
        return backend;
    }

    public Shape shape() {
        return shape;
    }

    /** Number of elements. */
    public long size() {
        return shape.size();
    }

    /** The device memory; only backends look inside. */
    public DeviceBuffer buffer() {
        return buffer;
    }

    /** Where this tensor starts in {@link #buffer()}, in floats. */
    public long offset() {
        return offset;
    }

    /** A view with another shape of the same size. */
    public Tensor reshape(Shape newShape) {
        if (newShape.size() != shape.size()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " (" + shape.size() + " elements) to "
                    + newShape + " (" + newShape.size() + " elements)");
        }
        return new Tensor(backend, newShape, buffer, offset, false);
    }

    /** A view of rows {@code [start, end)} of axis 0. */
    public Tensor slice(int start, int end) {
        if (shape.rank() == 0 || start < 0 || end > shape.dim(0) || start > end) {
            throw new IllegalArgumentException("slice [" + start + ", " + end + ") out of range for " + shape);
        }
        long row = shape.sizeAfterFirst();
        return new Tensor(backend, shape.withFirst(end - start), buffer, offset + start * row, false);
    }

    /** Copies the contents to the host, waiting for pending ops. */
    public float[] toArray() {
        float[] host = new float[Math.toIntExact(size())];
        backend.download(this, host, 0);
        return host;
    }

    /** The single element of a one-element tensor. */
    public float item() {
        if (size() != 1) {
            throw new IllegalStateException("item() needs a one-element tensor, this is " + shape);
        }
        return toArray()[0];
    }

    /** Returns the buffer to the pool if this tensor owns it; idempotent; views do nothing. */
    @Override
    public void close() {
        if (owner && !closed) {
            closed = true;
            backend.pool().release(buffer);
        }
    }

    @Override
    public String toString() {
        return "Tensor" + shape + " on " + backend.info().device();
    }
}
