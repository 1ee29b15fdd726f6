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
        Parallel.forRange(s.batch() * s.channels(), grain(s), (from, to) -> {
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
        Parallel.forRange(s.batch() * s.channels(), grain(s), (from, to) -> {
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
            int y0 = Math.max(0, oy * s.stride() - s.padding());
            int y1 = Math.min(s.height(), oy * s.stride() - s.padding() + s.kernel());
            for (int ox = 0; ox < s.outWidth(); ox++) {
                int x0 = Math.max(0, ox * s.stride() - s.padding());
                int x1 = Math.min(w, ox * s.stride() - s.padding() + s.kernel());
                y[out + oy * s.outWidth() + ox] = x[in + firstMax(x, in, w, y0, y1, x0, x1)];
            }
        }
    }

    private static void maxBackward(PoolSpec s, float[] x, int in, float[] dy, int out, float[] dx, int din) {
        int w = s.width();
        for (int oy = 0; oy < s.outHeight(); oy++) {
            int y0 = Math.max(0, oy * s.stride() - s.padding());
            int y1 = Math.min(s.height(), oy * s.stride() - s.padding() + s.kernel());
            for (int ox = 0; ox < s.outWidth(); ox++) {
                int x0 = Math.max(0, ox * s.stride() - s.padding());
                int x1 = Math.min(w, ox * s.stride() - s.padding() + s.kernel());
                dx[din + firstMax(x, in, w, y0, y1, x0, x1)] += dy[out + oy * s.outWidth() + ox];
            }
        }
    }

    /** The plane offset of the first maximum in rows [y0, y1), columns [x0, x1), in row-major order. */
    private static int firstMax(float[] x, int in, int w, int y0, int y1, int x0, int x1) {
        int best = y0 * w + x0;
        float bestValue = x[in + best];
        for (int iy = y0; iy < y1; iy++) {
            for (int ix = x0; ix < x1; ix++) {
                float v = x[in + iy * w + ix];
                if (v > bestValue) {
                    bestValue = v;
                    best = iy * w + ix;
                }
            }
        }
        return best;
    }

    private static void avgForward(PoolSpec s, float[] x, int in, float[] y, int out) {
        int w = s.width();
        float area = s.kernel() * s.kernel();
        for (int oy = 0; oy < s.outHeight(); oy++) {
            int y0 = Math.max(0, oy * s.stride() - s.padding());
            int y1 = Math.min(s.height(), oy * s.stride() - s.padding() + s.kernel());
            for (int ox = 0; ox < s.outWidth(); ox++) {
                int x0 = Math.max(0, ox * s.stride() - s.padding());
                int x1 = Math.min(w, ox * s.stride() - s.padding() + s.kernel());
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
            int y0 = Math.max(0, oy * s.stride() - s.padding());
            int y1 = Math.min(s.height(), oy * s.stride() - s.padding() + s.kernel());
            for (int ox = 0; ox < s.outWidth(); ox++) {
                int x0 = Math.max(0, ox * s.stride() - s.padding());
                int x1 = Math.min(w, ox * s.stride() - s.padding() + s.kernel());
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
