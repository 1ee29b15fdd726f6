package dev.cortado.data;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The contents of one IDX file of unsigned bytes: its dimensions, outermost first, and its data in row-major
 * order. The arrays are shared, not copied.
 *
 * @param file where it was read from, for messages
 * @param dims the dimensions from the header, each at least 1
 * @param data the values, {@code product(dims)} bytes, each to be read as unsigned ({@code b & 0xFF})
 */
public record IdxArray(Path file, int[] dims, byte[] data) {

    public IdxArray {
        long size = 1;
        for (int d : dims) {
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException(file + ": dimensions " + Arrays.toString(dims) + " need " + size
                    + " bytes, data has " + data.length);
        }
    }

    /** Dimension 0: the number of items (images or labels). */
    public int count() {
        return dims[0];
    }

    @Override
    public String toString() {
        return "IdxArray[" + file + ", dims=" + Arrays.toString(dims) + "]";
    }
}
