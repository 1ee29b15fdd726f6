package dev.cortado.tensor;

import dev.cortado.backend.Backend;
import dev.cortado.backend.DeviceBuffer;
import java.util.OptionalInt;

/**
 * A contiguous float32 array with a shape, living on one backend's device. Tensors made by
 * {@link #allocate} own their buffer and return it to the backend's pool on {@link #close()}; views made by
 * {@link #reshape} and {@link #slice} share it. Once the owner is closed, the owner and every view of it are
 * closed: any op, download or new view of them throws {@link IllegalStateException}. Moving data between host
 * and device is explicit ({@link Backend#upload}, {@link #toArray()}).
 */
public final class Tensor implements AutoCloseable {
    private final Backend backend;
    private final Shape shape;
    private final Storage storage;
    private final long offset;
    private final boolean owner;
    /**
     * This tensor's range, made at its first {@link #recordZeros} and kept: the optimizers record a gradient's zeros
     * at every step, which then allocates nothing. Immutable, so a thread that sees null only makes another.
     */
    private ZeroRange zeroRange;

    /** What the owner and its views share: the buffer, whether it was released, and what is known of its data. */
    private static final class Storage {
        final DeviceBuffer buffer;
        volatile boolean closed;
        /** The range of floats that holds checked labels, and their bound; null when unknown. */
        volatile LabelRange labels;
        /** The range of floats known to be zero; null when none is. */
        volatile ZeroRange zeros;

        Storage(DeviceBuffer buffer) {
            this.buffer = buffer;
        }
    }

    /** Floats {@code [offset, offset + size)} hold whole numbers in {@code [0, bound)}. */
    private record LabelRange(long offset, long size, int bound) {
    }

    /** Floats {@code [offset, offset + size)} are zero. */
    private record ZeroRange(long offset, long size) {
    }

    private Tensor(Backend backend, Shape shape, Storage storage, long offset, boolean owner) {
        this.backend = backend;
        this.shape = shape;
        this.storage = storage;
        this.offset = offset;
        this.owner = owner;
    }

    /** A new tensor from the backend's pool; contents undefined. Called by {@link Backend#allocate}. */
    public static Tensor allocate(Backend backend, Shape shape) {
        return new Tensor(backend, shape, new Storage(backend.pool().acquire(shape.size())), 0, true);
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
        return storage.buffer;
    }

    /** Where this tensor starts in {@link #buffer()}, in floats. */
    public long offset() {
        return offset;
    }

    /** True once the tensor that owns the buffer was closed (for a view: its owner). */
    public boolean isClosed() {
        return storage.closed;
    }

    /**
     * A view with another shape of the same size.
     *
     * @throws IllegalStateException when the tensor is closed
     */
    public Tensor reshape(Shape newShape) {
        requireOpen("reshape");
        if (newShape.size() != shape.size()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " (" + shape.size() + " elements) to "
                    + newShape + " (" + newShape.size() + " elements)");
        }
        return new Tensor(backend, newShape, storage, offset, false);
    }

    /**
     * A view of rows {@code [start, end)} of axis 0.
     *
     * @throws IllegalStateException when the tensor is closed
     */
    public Tensor slice(int start, int end) {
        requireOpen("slice");
        if (shape.rank() == 0 || start < 0 || end > shape.dim(0) || start > end) {
            throw new IllegalArgumentException("slice [" + start + ", " + end + ") out of range for " + shape);
        }
        long row = shape.sizeAfterFirst();
        return new Tensor(backend, shape.withFirst(end - start), storage, offset + start * row, false);
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

    /**
     * Throws when this tensor is closed, naming what was attempted.
     *
     * @throws IllegalStateException for a closed tensor or a view of one
     */
    public void requireOpen(String what) {
        if (storage.closed) {
            throw new IllegalStateException(what + ": " + this + " was closed" + (owner ? ""
                    : " (it is a view of a tensor that was closed)"));
        }
    }

    /**
     * For {@link Backend}'s checks: records that this tensor's elements are whole numbers in {@code [0, bound)},
     * as checked on the host when they were uploaded. Any later write to the buffer forgets it.
     */
    public void recordLabels(int bound) {
        storage.labels = new LabelRange(offset, size(), bound);
    }

    /**
     * For {@link Backend}'s checks: the bound recorded by {@link #recordLabels} for exactly this tensor's range,
     * if no op has written the buffer since.
     */
    public OptionalInt recordedLabelBound() {
        LabelRange labels = storage.labels;
        return labels != null && labels.offset() == offset && labels.size() == size()
                ? OptionalInt.of(labels.bound()) : OptionalInt.empty();
    }

    /**
     * For {@link Backend}: records that every element of this tensor is zero, as an op that has just run made them
     * (a fill with zeros, an optimizer's update, which zeroes the gradient). Any later write to the buffer forgets it.
     */
    public void recordZeros() {
        if (zeroRange == null) {
            zeroRange = new ZeroRange(offset, size());
        }
        storage.zeros = zeroRange;
    }

    /**
     * For {@link Backend}: whether every element of this tensor is known to be zero ({@link #recordZeros}, for this
     * tensor or a view that covers it) with no op having written the buffer since.
     */
    public boolean knownZeros() {
        ZeroRange zeros = storage.zeros;
        return zeros != null && zeros.offset() <= offset && offset + size() <= zeros.offset() + zeros.size();
    }

    /** For {@link Backend}'s checks: an op writes into this tensor's buffer, so what was known of it is not. */
    public void written() {
        storage.labels = null;
        storage.zeros = null;
    }

    /** Returns the buffer to the pool if this tensor owns it; idempotent; views do nothing. */
    @Override
    public void close() {
        if (owner && !storage.closed) {
            storage.closed = true;
            backend.pool().release(storage.buffer);
        }
    }

    @Override
    public String toString() {
        return "Tensor" + shape + " on " + backend.info().device();
    }
}
