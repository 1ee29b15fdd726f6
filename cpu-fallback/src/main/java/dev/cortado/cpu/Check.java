package dev.cortado.cpu;

import dev.cortado.tensor.Tensor;

/**
 * Argument checks of the CPU backend. Each failure is an {@link IllegalArgumentException} whose message names
 * the op, the argument, and the expected and actual values; messages are built only on failure, so a passing
 * check allocates nothing.
 */
final class Check {
    private Check() {
    }

    /** The Java array behind a tensor; refuses tensors of other backends. */
    static float[] data(Tensor t) {
        if (t.buffer() instanceof CpuBuffer buffer) {
            return buffer.data();
        }
        throw new IllegalArgumentException(t + " is not a CPU tensor");
    }

    /**
     * Where a tensor starts in its array. Always honoured, since views start inside their owner's buffer; the
     * check that the view lies within the array also proves the offset fits an int.
     */
    static int offset(Tensor t) {
        long offset = t.offset();
        int length = data(t).length;
        if (offset < 0 || offset + t.size() > length) {
            throw new IllegalArgumentException(t + " spans floats [" + offset + ", " + (offset + t.size())
                    + ") of a buffer of " + length);
        }
        return (int) offset;
    }

    /** The element count of a tensor as an int; CPU tensors are Java arrays, so it always fits. */
    static int elements(Tensor t) {
        return (int) t.size();
    }

    /** Requires {@code t} to hold exactly {@code expected} elements. */
    static void size(String op, String name, Tensor t, long expected) {
        if (t.size() != expected) {
            throw new IllegalArgumentException(op + ": " + name + " " + t.shape() + " has " + t.size()
                    + " elements, expected " + expected);
        }
    }

    /** Requires {@code t} to hold at least {@code expected} elements. */
    static void atLeast(String op, String name, Tensor t, long expected) {
        if (t.size() < expected) {
            throw new IllegalArgumentException(op + ": " + name + " " + t.shape() + " has " + t.size()
                    + " elements, needs at least " + expected);
        }
    }

    /** Requires a dimension or stride argument to be at least {@code min}. */
    static void min(String op, String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(op + ": " + name + " must be at least " + min + ", got " + value);
        }
    }

    /** Requires {@code n} to be a multiple of {@code period}. */
    static void multiple(String op, String name, long n, String periodName, long period) {
        if (period == 0 ? n != 0 : n % period != 0) {
            throw new IllegalArgumentException(op + ": " + name + " (" + n + " elements) is not a multiple of "
                    + periodName + " (" + period + ")");
        }
    }

    /** Requires the float ranges {@code [start, start+length)} of two tensors not to overlap in memory. */
    static void disjoint(String op, String name, Tensor t, long length, String otherName, Tensor other,
                         long otherLength) {
        if (data(t) != data(other) || length == 0 || otherLength == 0) {
            return;
        }
        long start = t.offset();
        long otherStart = other.offset();
        if (start < otherStart + otherLength && otherStart < start + length) {
            throw new IllegalArgumentException(op + ": " + name + " (floats [" + start + ", " + (start + length)
                    + ")) overlaps " + otherName + " (floats [" + otherStart + ", " + (otherStart + otherLength)
                    + ")) in the same buffer");
        }
    }

    /** Requires a tensor that an op needs but that the caller may leave out for other variants. */
    static Tensor present(String op, String name, Tensor t, Object why) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + name + " is required for " + why);
        }
        return t;
    }
}
