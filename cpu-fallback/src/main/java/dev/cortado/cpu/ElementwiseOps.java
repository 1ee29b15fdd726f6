package dev.cortado.cpu;

import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.UnaryOp;
import java.util.Arrays;

/**
 * Element-wise loops: fill, copy, map, affine, zip and axpby. Every op picks its loop once per range (never per
 * element) and runs a counted loop over contiguous floats; zip, whose operands sit at offsets of their own, goes
 * through {@link FloatLoops}.
 */
final class ElementwiseOps {
    /**
     * Floats per task for loops of a few cycles per element, and for pure memory traffic (fill, copy): below this,
     * scheduling costs more than it saves.
     */
    static final int GRAIN = 1 << 15;
    /** Floats per task for loops that call exp, log or tanh per element. */
    static final int TRANSCENDENTAL_GRAIN = 1 << 12;

    private ElementwiseOps() {
    }

    static void fill(float[] y, int yo, int n, float value) {
        Parallel.forRange(n, GRAIN, (from, to) -> Arrays.fill(y, yo + from, yo + to, value));
    }

    static void copy(float[] x, int xo, float[] y, int yo, int n) {
        if (x == y && xo != yo && Math.abs(xo - yo) < n) {
            // Overlapping ranges: one arraycopy moves them as if through a temporary; chunks would race.
            System.arraycopy(x, xo, y, yo, n);
            return;
        }
        Parallel.forRange(n, GRAIN, (from, to) -> System.arraycopy(x, xo + from, y, yo + from, to - from));
    }

    static void map(UnaryOp op, float[] x, int xo, float[] y, int yo, int n) {
        int grain = op == UnaryOp.EXP || op == UnaryOp.LOG ? TRANSCENDENTAL_GRAIN : GRAIN;
        Parallel.forRange(n, grain, (from, to) -> mapRun(op, x, xo + from, y, yo + from, to - from));
    }

    private static void mapRun(UnaryOp op, float[] x, int xo, float[] y, int yo, int n) {
        switch (op) {
            case SQUARE -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xo + i];
                    y[yo + i] = v * v;
                }
            }
            case SQRT -> {
                for (int i = 0; i < n; i++) {
                    y[yo + i] = (float) Math.sqrt(x[xo + i]);
                }
            }
            case RSQRT -> {
                for (int i = 0; i < n; i++) {
                    y[yo + i] = 1f / (float) Math.sqrt(x[xo + i]);
                }
            }
            case EXP -> {
                for (int i = 0; i < n; i++) {
                    y[yo + i] = (float) Math.exp(x[xo + i]);
                }
            }
            case LOG -> {
                for (int i = 0; i < n; i++) {
                    y[yo + i] = (float) Math.log(x[xo + i]);
                }
            }
            case NEG -> {
                for (int i = 0; i < n; i++) {
                    y[yo + i] = -x[xo + i];
                }
            }
            case ABS -> {
                for (int i = 0; i < n; i++) {
                    y[yo + i] = Math.abs(x[xo + i]);
                }
            }
            case RECIPROCAL -> {
                for (int i = 0; i < n; i++) {
                    y[yo + i] = 1f / x[xo + i];
                }
            }
        }
    }

    static void affine(float scale, float[] x, int xo, float shift, float[] y, int yo, int n) {
        Parallel.forRange(n, GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[yo + i] = scale * x[xo + i] + shift;
            }
        });
    }

    /** {@code out = max(a + b, 0)}; out may be a or b at the same offset. */
    static void addRelu(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        Parallel.forRange(n, GRAIN, (from, to) -> FloatLoops.IN_USE.addRelu(a, ao + from, b, bo + from, out,
                oo + from, to - from));
    }

    static void axpby(float alpha, float[] x, int xo, float beta, float[] y, int yo, int n) {
        Parallel.forRange(n, GRAIN, (from, to) -> {
            if (beta == 0f) {
                for (int i = from; i < to; i++) {
                    y[yo + i] = alpha * x[xo + i];
                }
            } else {
                for (int i = from; i < to; i++) {
                    y[yo + i] = alpha * x[xo + i] + beta * y[yo + i];
                }
            }
        });
    }

    /**
     * {@code out[i] = op(a[i], b[(i / bInner) % bSize])}. A range splits into runs where b is either one value
     * (length {@code bInner}, or all of it when b has one element) or contiguous alongside a ({@code bInner = 1},
     * up to a row of b); each run is one vectorizable loop.
     */
    static void zip(BinaryOp op, float[] a, int ao, int n, float[] b, int bo, int bSize, int bInner, float[] out,
                    int oo) {
        Parallel.forRange(n, GRAIN, (from, to) -> {
            if (bSize == 1) {
                FloatLoops.IN_USE.zipScalar(op, a, ao + from, b[bo], out, oo + from, to - from);
            } else if (bInner == 1) {
                for (int i = from; i < to; ) {
                    int j = i % bSize;
                    int run = Math.min(bSize - j, to - i);
                    FloatLoops.IN_USE.zip(op, a, ao + i, b, bo + j, out, oo + i, run);
                    i += run;
                }
            } else {
                for (int i = from; i < to; ) {
                    int block = i / bInner;
                    int run = (int) Math.min((long) (block + 1) * bInner, to) - i;
                    FloatLoops.IN_USE.zipScalar(op, a, ao + i, b[bo + block % bSize], out, oo + i, run);
                    i += run;
                }
            }
        });
    }
}
