package dev.cortado.cpu;

import dev.cortado.backend.PoolSpec;
import java.util.Arrays;

/**
 * Max and average pooling, parallel over (n, c) planes so that the backward pass's accumulations into dx never
 * race. Windows are clipped to the image: max pooling ignores padded positions, average pooling counts them as
 * zeros (it divides by {@code kernel*kernel}). The backward pass of max pooling recomputes each window's first
 * maximum in row-major order instead of storing indices.
 */
final class PoolingOps {
    private PoolingOps() {
    }

    static void forward(PoolSpec s, float[] x, int xo, float[] y, int yo) {
        int inPlane = s.height() * s.width();
        int outPlane = s.outHeight() * s.outWidth();
        boolean max = s.kind() == PoolSpec.Kind.MAX;
        boolean pairs = isTwoByTwo(s);
        Parallel.forRange(s.batch() * s.channels(), grain(s), (from, to) -> {
            if (pairs) {
                FloatLoops.IN_USE.maxPoolForward(x, xo + from * inPlane, s.height(), s.width(), y,
                        yo + from * outPlane, to - from);
                return;
            }
            for (int p = from; p < to; p++) {
                if (max) {
                    maxForward(s, x, xo + p * inPlane, y, yo + p * outPlane);
                } else {
                    avgForward(s, x, xo + p * inPlane, y, yo + p * outPlane);
                }
            }
        });
    }

    static void backward(PoolSpec s, float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo) {
        int inPlane = s.height() * s.width();
        int outPlane = s.outHeight() * s.outWidth();
        boolean max = s.kind() == PoolSpec.Kind.MAX;
        boolean pairs = isTwoByTwo(s);
        Parallel.forRange(s.batch() * s.channels(), grain(s), (from, to) -> {
            if (pairs) {
                FloatLoops.IN_USE.maxPoolBackward(x, xo + from * inPlane, s.height(), s.width(), dy,
                        dyo + from * outPlane, dx, dxo + from * inPlane, to - from);
                return;
            }
            for (int p = from; p < to; p++) {
                int plane = dxo + p * inPlane;
                Arrays.fill(dx, plane, plane + inPlane, 0f);
                if (max) {
                    maxBackward(s, x, xo + p * inPlane, dy, dyo + p * outPlane, dx, plane);
                } else {
                    avgBackward(s, dy, dyo + p * outPlane, dx, plane);
                }
            }
        });
    }

    private static int grain(PoolSpec s) {
        long work = (long) s.outHeight() * s.outWidth() * s.kernel() * s.kernel() + (long) s.height() * s.width();
        return (int) Math.max(1, ElementwiseOps.GRAIN / work);
    }

    private static void maxForward(PoolSpec s, float[] x, int in, float[] y, int out) {
        int w = s.width();
        for (int oy = 0; oy < s.outHeight(); oy++) {
            int y0 = windowStart(s, oy);
            int y1 = windowEnd(s, oy, s.height());
            for (int ox = 0; ox < s.outWidth(); ox++) {
                int x0 = windowStart(s, ox);
                int x1 = windowEnd(s, ox, w);
                y[out + oy * s.outWidth() + ox] = x[in + firstMax(x, in, w, y0, y1, x0, x1)];
            }
        }
    }

    private static void maxBackward(PoolSpec s, float[] x, int in, float[] dy, int out, float[] dx, int din) {
        int w = s.width();
        for (int oy = 0; oy < s.outHeight(); oy++) {
            int y0 = windowStart(s, oy);
            int y1 = windowEnd(s, oy, s.height());
            for (int ox = 0; ox < s.outWidth(); ox++) {
                int x0 = windowStart(s, ox);
                int x1 = windowEnd(s, ox, w);
                dx[din + firstMax(x, in, w, y0, y1, x0, x1)] += dy[out + oy * s.outWidth() + ox];
            }
        }
    }

    /** The first row (or column) of the input that the window at output row (or column) o covers. */
    private static int windowStart(PoolSpec s, int o) {
        return Math.max(0, o * s.stride() - s.padding());
    }

    /** One past the last row (or column) of an input {@code size} high (or wide) that window o covers. */
    private static int windowEnd(PoolSpec s, int o, int size) {
        return Math.min(size, o * s.stride() - s.padding() + s.kernel());
    }

    /**
     * The plane offset of the first maximum in rows [y0, y1), columns [x0, x1), in row-major order. Only the
     * offset is carried from step to step, and the best value is read back through it, so that C2 compiles each
     * step to a conditional move of an int: on random data a branch would go the wrong way about every other
     * time, and C2 has no conditional move for floats.
     */
    private static int firstMax(float[] x, int in, int w, int y0, int y1, int x0, int x1) {
        int best = y0 * w + x0;
        for (int iy = y0; iy < y1; iy++) {
            for (int ix = x0; ix < x1; ix++) {
                int at = iy * w + ix;
                best = x[in + at] > x[in + best] ? at : best;
            }
        }
        return best;
    }

    /**
     * Max pooling with 2x2 windows at stride 2 and no padding: windows tile the plane (but an odd last row or
     * column), and {@link FloatLoops} has loops for them.
     */
    private static boolean isTwoByTwo(PoolSpec s) {
        return s.kind() == PoolSpec.Kind.MAX && s.kernel() == 2 && s.stride() == 2 && s.padding() == 0;
    }

    /** The plane offset of the first maximum of the 2x2 window whose top left is at plane offset a (see firstMax). */
    private static int firstMaxOfTwoByTwo(float[] x, int in, int w, int a) {
        int best = a;
        best = x[in + a + 1] > x[in + best] ? a + 1 : best;
        best = x[in + a + w] > x[in + best] ? a + w : best;
        return x[in + a + w + 1] > x[in + best] ? a + w + 1 : best;
    }

    /** {@link #maxForward} of one {@code h x w} plane for {@link #isTwoByTwo} windows. */
    static void maxForwardTwoByTwo(float[] x, int in, int h, int w, float[] y, int out) {
        int outW = w / 2;
        for (int oy = 0; oy < h / 2; oy++) {
            maxForwardWindows(x, in, w, 2 * oy * w, y, out + oy * outW, 0, outW);
        }
    }

    /**
     * The {@link #isTwoByTwo} windows {@code ox} in {@code [ox0, ox1)} of the pair of rows starting at plane offset
     * {@code top}: {@code y[o + ox]} gets each one's first maximum.
     */
    static void maxForwardWindows(float[] x, int in, int w, int top, float[] y, int o, int ox0, int ox1) {
        for (int ox = ox0; ox < ox1; ox++) {
            y[o + ox] = x[in + firstMaxOfTwoByTwo(x, in, w, top + 2 * ox)];
        }
    }

    /**
     * {@link #maxBackward} of one {@code h x w} plane for {@link #isTwoByTwo} windows: each window's four inputs
     * are zeroed and its first maximum then set, so dx is written once instead of zeroed and added to. The
     * gradient goes through {@code + 0f} as it does when added to a zeroed dx, which turns -0 into +0.
     */
    static void maxBackwardTwoByTwo(float[] x, int in, int h, int w, float[] dy, int out, float[] dx, int din) {
        int outW = w / 2;
        for (int oy = 0; oy < h / 2; oy++) {
            maxBackwardWindows(x, in, w, 2 * oy * w, dy, out + oy * outW, dx, din, 0, outW);
        }
        zeroUncovered(h, w, dx, din);
    }

    /**
     * The gradient of {@link #maxForwardWindows}, from {@code dy[o + ox]}: overwrites the four elements of dx that
     * each of these windows covers.
     */
    static void maxBackwardWindows(float[] x, int in, int w, int top, float[] dy, int o, float[] dx, int din,
                                   int ox0, int ox1) {
        for (int ox = ox0; ox < ox1; ox++) {
            int a = top + 2 * ox;
            int best = firstMaxOfTwoByTwo(x, in, w, a);
            dx[din + a] = 0f;
            dx[din + a + 1] = 0f;
            dx[din + a + w] = 0f;
            dx[din + a + w + 1] = 0f;
            dx[din + best] = dy[o + ox] + 0f;
        }
    }

    /** Zeroes the gradient of an odd last column and row of a plane, which no 2x2 window covers. */
    static void zeroUncovered(int h, int w, float[] dx, int din) {
        if (w % 2 != 0) {
            for (int row = 0; row < h; row++) {
                dx[din + row * w + w - 1] = 0f;
            }
        }
        if (h % 2 != 0) {
            Arrays.fill(dx, din + (h - 1) * w, din + h * w, 0f);
        }
    }

    private static void avgForward(PoolSpec s, float[] x, int in, float[] y, int out) {
        int w = s.width();
        float area = s.kernel() * s.kernel();
        for (int oy = 0; oy < s.outHeight(); oy++) {
            int y0 = windowStart(s, oy);
            int y1 = windowEnd(s, oy, s.height());
            for (int ox = 0; ox < s.outWidth(); ox++) {
                int x0 = windowStart(s, ox);
                int x1 = windowEnd(s, ox, w);
                float sum = 0f;
                for (int iy = y0; iy < y1; iy++) {
                    for (int ix = x0; ix < x1; ix++) {
                        sum += x[in + iy * w + ix];
                    }
                }
                y[out + oy * s.outWidth() + ox] = sum / area;
            }
        }
    }

    private static void avgBackward(PoolSpec s, float[] dy, int out, float[] dx, int din) {
        int w = s.width();
        float area = s.kernel() * s.kernel();
        for (int oy = 0; oy < s.outHeight(); oy++) {
            int y0 = windowStart(s, oy);
            int y1 = windowEnd(s, oy, s.height());
            for (int ox = 0; ox < s.outWidth(); ox++) {
                int x0 = windowStart(s, ox);
                int x1 = windowEnd(s, ox, w);
                float g = dy[out + oy * s.outWidth() + ox] / area;
                for (int iy = y0; iy < y1; iy++) {
                    for (int ix = x0; ix < x1; ix++) {
                        dx[din + iy * w + ix] += g;
                    }
                }
            }
        }
    }
}
