package dev.cortado.cpu;

import dev.cortado.backend.Activation;

/** Activation functions and their gradients: one loop per function, chosen once per range. */
final class ActivationOps {
    private ActivationOps() {
    }

    /** Cheap loops (ReLU and LeakyReLU) take larger ranges per task than those with an exp or erfc. */
    private static int grain(Activation f) {
        return f == Activation.RELU || f == Activation.LEAKY_RELU ? ElementwiseOps.GRAIN
                : ElementwiseOps.TRANSCENDENTAL_GRAIN;
    }

    static void forward(Activation f, float alpha, float[] x, int xo, float[] y, int yo, int n) {
        Parallel.forRange(n, grain(f), (from, to) -> forwardRun(f, alpha, x, xo + from, y, yo + from, to - from));
    }

    private static void forwardRun(Activation f, float alpha, float[] x, int xo, float[] y, int yo, int n) {
        switch (f) {
            case RELU -> FloatLoops.IN_USE.reluForward(x, xo, y, yo, n);
            case LEAKY_RELU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xo + i];
                    y[yo + i] = select(positive(v), v, alpha * v);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    y[yo + i] = (float) (1 / (1 + Math.exp(-x[xo + i])));
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    y[yo + i] = (float) Math.tanh(x[xo + i]);
                }
            }
            case GELU -> {
                for (int i = 0; i < n; i++) {
                    double v = x[xo + i];
                    y[yo + i] = (float) (v * Gaussian.cdf(v));
                }
            }
            case SILU -> {
                for (int i = 0; i < n; i++) {
                    double v = x[xo + i];
                    y[yo + i] = (float) (v / (1 + Math.exp(-v)));
                }
            }
        }
    }

    /** {@code dx = f'(x) * dy}, where {@code from} holds x or y as {@link Activation#gradientFromInput()} says. */
    static void backward(Activation f, float alpha, float[] from, int fo, float[] dy, int dyo, float[] dx, int dxo,
                         int n) {
        Parallel.forRange(n, grain(f),
                (start, end) -> backwardRun(f, alpha, from, fo + start, dy, dyo + start, dx, dxo + start, end - start));
    }

    private static void backwardRun(Activation f, float alpha, float[] v, int vo, float[] dy, int dyo, float[] dx,
                                 int dxo, int n) {
        switch (f) {
            case RELU -> FloatLoops.IN_USE.reluBackward(v, vo, dy, dyo, dx, dxo, n);
            case LEAKY_RELU -> {
                for (int i = 0; i < n; i++) {
                    float g = dy[dyo + i];
                    dx[dxo + i] = select(positive(v[vo + i]), g, alpha * g);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    float y = v[vo + i];
                    dx[dxo + i] = y * (1f - y) * dy[dyo + i];
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    float y = v[vo + i];
                    dx[dxo + i] = (1f - y * y) * dy[dyo + i];
                }
            }
            case GELU -> {
                for (int i = 0; i < n; i++) {
                    double x = v[vo + i];
                    dx[dxo + i] = (float) ((Gaussian.cdf(x) + x * Gaussian.density(x)) * dy[dyo + i]);
                }
            }
            case SILU -> {
                for (int i = 0; i < n; i++) {
                    double x = v[vo + i];
                    double s = 1 / (1 + Math.exp(-x));
                    dx[dxo + i] = (float) (s * (1 + x * (1 - s)) * dy[dyo + i]);
                }
            }
        }
    }

    /**
     * All bits set where {@code v > 0} (not for NaN), else 0, without a branch: on data of mixed signs a branch
     * per element goes the wrong way about every other time, and C2 has no conditional move for floats. As an
     * int, v is above 0 exactly when its bits lie in [1, 0x7f800000] (the smallest subnormal up to +infinity).
     */
    static int positive(float v) {
        int t = Float.floatToRawIntBits(v) - 1;
        return (~t & (t - 0x7f800000)) >> 31;
    }

    /** {@code a} where {@code mask} is all ones, {@code b} where it is 0, bit for bit. */
    private static float select(int mask, float a, float b) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(a) & mask | Float.floatToRawIntBits(b) & ~mask);
    }
}
