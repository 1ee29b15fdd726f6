package dev.cortado.backend;

import dev.cortado.tensor.Tensor;

/**
 * The argument checks of {@link Backend}'s ops. Each failure is an {@link IllegalArgumentException} whose message
 * names the op, the argument, and the expected and actual values; messages are built only on failure, so a
 * passing check allocates nothing.
 */
final class Checks {
    private Checks() {
    }

    /** Requires {@code t} to hold exactly {@code expected} elements. */
    static void size(String op, String name, Tensor t, long expected) {
        if (t.size() != expected) {
            throw new IllegalArgumentException(op + ": " + name + " " + t.shape() + " has " + t.size()
                    + " elements, expected " + expected);
        }
    }

    /** Requires {@code t} to hold at least {@code needed} elements. */
    static void atLeast(String op, String name, Tensor t, long needed) {
        if (t.size() < needed) {
            throw new IllegalArgumentException(op + ": " + name + " " + t.shape() + " has " + t.size()
                    + " elements, needs at least " + needed);
        }
    }

    static void positive(String op, String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(op + ": " + name + " must be at least 1, got " + value);
        }
    }

    static void nonNegative(String op, String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(op + ": " + name + " must not be negative, got " + value);
        }
    }

    /** Requires the size of {@code t} to be a multiple of {@code period}. */
    static void multiple(String op, String name, Tensor t, String periodName, long period) {
        if (t.size() % period != 0) {
            throw new IllegalArgumentException(op + ": " + name + " " + t.shape() + " (" + t.size()
                    + " elements) is not a multiple of " + periodName + " (" + period + ")");
        }
    }

    /** Requires {@code [offset, offset + t.size())} to lie within a host array of {@code length} floats. */
    static void hostRange(String op, int length, int offset, Tensor t) {
        if (offset < 0 || offset + t.size() > length) {
            throw new IllegalArgumentException(op + ": tensor " + t.shape() + " needs " + t.size()
                    + " floats from host offset " + offset + ", the host array has " + length);
        }
    }

    /** Requires the float ranges {@code [offset, offset + length)} of two tensors not to overlap in memory. */
    static void disjoint(String op, String name, Tensor t, long length, String otherName, Tensor other,
                         long otherLength) {
        if (t.buffer() != other.buffer() || length == 0 || otherLength == 0) {
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

    /** Requires a label smoothing in [0, 1], as PyTorch's cross-entropy does. */
    static void smoothing(String op, float smoothing) {
        if (!(smoothing >= 0f && smoothing <= 1f)) {
            throw new IllegalArgumentException(op + ": label smoothing must be in [0, 1], got " + smoothing);
        }
    }

    /** Requires a tensor that an op needs but that the caller may leave out for other variants. */
    static Tensor present(String op, String name, Tensor t, Object why) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + name + " is required for " + why);
        }
        return t;
    }

    /** Checks that every label is a class index and returns one more than the largest (0 for none). */
    static int labelBound(String op, float[] labels, int offset, int count) {
        int bound = 0;
        for (int i = 0; i < count; i++) {
            float label = labels[offset + i];
            if (!(label >= 0 && label < Integer.MAX_VALUE && label == Math.rint(label))) {
                throw notAClass(op, label, i, "a whole number >= 0");
            }
            bound = Math.max(bound, (int) label + 1);
        }
        return bound;
    }

    /** Checks that every label is a class index below {@code classes}. */
    static void labelsBelow(String op, float[] labels, int classes) {
        for (int i = 0; i < labels.length; i++) {
            float label = labels[i];
            if (!(label >= 0 && label < classes && label == Math.rint(label))) {
                throw notAClass(op, label, i, "a class index in [0, " + classes + ")");
            }
        }
    }

    private static IllegalArgumentException notAClass(String op, float label, int index, String expected) {
        String shown = label == Math.rint(label) && Math.abs(label) < 1e9 ? Integer.toString((int) label)
                : Float.toString(label);
        return new IllegalArgumentException(op + ": label " + shown + " at index " + index + " is not "
                + expected);
    }
}
