/*
 * Activation functions and their gradients, one work-item per element. Codes (ACT_RELU, ...) are defined by the
 * host from the Java enum Activation (OpCodes in cortado-backend-kernels), ahead of this text; alpha is the
 * negative slope of LEAKY_RELU. GELU is the exact form, x * Phi(x) with Phi(x) = erfc(-x / sqrt(2)) / 2: erfc
 * rather than 1 + erf keeps its relative precision for large negative x.
 */

#define SQRT_HALF 0.70710678118654752f
#define INVERSE_SQRT_2PI 0.39894228040143268f

/* y = f(x) */
__kernel void activation_forward(const int n, const int f, const float alpha,
                                 const __global float* x, const int xOff, __global float* y, const int yOff) {
    const int i = (int) get_global_id(0);
    if (i >= n) {
        return;
    }
    const float v = x[xOff + i];
    float r;
    switch (f) {
        /* NaN passes through, as with Java's Math.max and PyTorch's relu, so a diverged model shows a NaN loss. */
        case ACT_RELU: r = (v > 0.0f || v != v) ? v : 0.0f; break;
        case ACT_LEAKY_RELU: r = v > 0.0f ? v : alpha * v; break;
        case ACT_SIGMOID: r = 1.0f / (1.0f + exp(-v)); break;
        case ACT_GELU: r = 0.5f * v * erfc(-v * SQRT_HALF); break;
        case ACT_SILU: r = v / (1.0f + exp(-v)); break;
        default: r = tanh(v); break;
    }
    y[yOff + i] = r;
}

/* dx = f'(x) * dy; RELU, LEAKY_RELU, GELU and SILU read x, SIGMOID and TANH read y. */
__kernel void activation_backward(const int n, const int f, const float alpha,
                                  const __global float* x, const int xOff, const __global float* y, const int yOff,
                                  const __global float* dy, const int dyOff, __global float* dx, const int dxOff) {
    const int i = (int) get_global_id(0);
    if (i >= n) {
        return;
    }
    const float g = dy[dyOff + i];
    float r;
    switch (f) {
        case ACT_RELU: r = x[xOff + i] > 0.0f ? g : 0.0f; break;
        case ACT_LEAKY_RELU: r = x[xOff + i] > 0.0f ? g : alpha * g; break;
        case ACT_GELU: {
            const float v = x[xOff + i];
            r = (0.5f * erfc(-v * SQRT_HALF) + v * INVERSE_SQRT_2PI * exp(-0.5f * v * v)) * g;
            break;
        }
        case ACT_SILU: {
            const float v = x[xOff + i];
            const float s = 1.0f / (1.0f + exp(-v));
            r = s * (1.0f + v * (1.0f - s)) * g;
            break;
        }
        case ACT_SIGMOID: {
            const float s = y[yOff + i];
            r = s * (1.0f - s) * g;
            break;
        }
        default: {
            const float t = y[yOff + i];
            r = (1.0f - t * t) * g;
            break;
        }
    }
    dx[dxOff + i] = r;
}
