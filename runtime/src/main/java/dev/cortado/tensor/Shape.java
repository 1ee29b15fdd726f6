package dev.cortado.tensor;

import java.util.Arrays;

/**
 * The dimensions of a row-major tensor, outermost first (NCHW for images). Immutable.
 */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            }
        }
        this.dims = dims;
    }

    /** A shape with the given dimensions; a scalar has none. */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    /** Dimension {@code axis}; negative axes count from the end, as in PyTorch. */
    public int dim(int axis) {
        return dims[axis < 0 ? dims.length + axis : axis];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements: the product of all dimensions (1 for a scalar). */
    public long size() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** Number of elements per index of axis 0: the product of every dimension after the first. */
    public long sizeAfterFirst() {
        long n = 1;
        for (int i = 1; i < dims.length; i++) {
            n *= dims[i];
        }
        return n;
    }

    /** This shape with dimension 0 replaced, as when a batch is smaller than the others. */
    public Shape withFirst(int first) {
        int[] d = dims.clone();
        d[0] = first;
        return new Shape(d);
    }

    /** A shape that puts {@code first} before these dimensions, e.g. a batch size before a sample shape. */
    public Shape prepend(int first) {
        int[] d = new int[dims.length + 1];
        d[0] = first;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return new Shape(d);
    }

    /** The shape without dimension 0, e.g. the sample shape of a batch. */
    public Shape dropFirst() {
        return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
