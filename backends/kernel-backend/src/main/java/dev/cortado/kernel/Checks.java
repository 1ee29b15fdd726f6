package dev.cortado.kernel;

import dev.cortado.tensor.Tensor;

/** Argument checks shared by the ops; each failure names the op, the tensor and both sizes. */
final class Checks {

    private Checks() {
    }

    static void size(String op, String name, Tensor t, long expected) {
        if (t.size() != expected) {
            throw new IllegalArgumentException(op + ": " + name + " has " + t.size() + " elements (shape "
                    + t.shape() + "), expected " + expected);
        }
    }

    static void atLeast(String op, String name, Tensor t, long needed) {
        if (t.size() < needed) {
            throw new IllegalArgumentException(op + ": " + name + " has " + t.size() + " elements (shape "
                    + t.shape() + "), the arguments need " + needed);
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

    /** A count the kernels can index with a 32-bit int. */
    static int fitsInt(String op, String what, long value) {
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + what + " = " + value + " is too large for the "
                    + "device kernels, which index with 32-bit ints");
        }
        return (int) value;
    }
}
