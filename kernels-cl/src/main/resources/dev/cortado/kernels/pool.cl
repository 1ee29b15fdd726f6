/*
 * Max and average pooling over NCHW, square window, as dev.cortado.backend.PoolSpec defines: max pooling skips
 * padded positions and routes the gradient to the first maximum of its window in row-major order; average
 * pooling counts padding as zeros and divides by window*window.
 */

/*
 * Sets `best` to the flat index (within one channel plane) of the first maximum of window (oy, ox). Every
 * window holds at least one real position because padding is at most half the window. A macro, not a function:
 * the dialect has no helper functions (CUDA would need them marked __device__).
 */
#define FIRST_MAX_OF_WINDOW(plane, height, width, window, stride, padding, oy, ox, best)   \
    do {                                                                                 \
        const int wy0 = (oy) * (stride) - (padding);                                     \
        const int wx0 = (ox) * (stride) - (padding);                                     \
        float bestValue = 0.0f;                                                          \
        (best) = -1;                                                                     \
        for (int wi = max(0, -wy0); wi < (window) && wy0 + wi < (height); wi++) {        \
            for (int wj = max(0, -wx0); wj < (window) && wx0 + wj < (width); wj++) {     \
                const int at = (wy0 + wi) * (width) + wx0 + wj;                          \
                const float v = (plane)[at];                                             \
                if ((best) < 0 || v > bestValue) {                                       \
                    (best) = at;                                                         \
                    bestValue = v;                                                       \
                }                                                                        \
            }                                                                            \
        }                                                                                \
    } while (0)

/* One work-item per output element. */
__kernel void max_pool_forward(const int planes, const int height, const int width, const int window,
                               const int stride, const int padding, const int outH, const int outW,
                               const __global float* x, const int xOff, __global float* y, const int yOff) {
    const int idx = (int) get_global_id(0);
    if (idx >= planes * outH * outW) {
        return;
    }
    const int ox = idx % outW;
    const int oy = (idx / outW) % outH;
    const __global float* in = x + xOff + (idx / (outW * outH)) * height * width;
    int best;
    FIRST_MAX_OF_WINDOW(in, height, width, window, stride, padding, oy, ox, best);
    y[yOff + idx] = in[best];
}

/* One work-item per output element; padded positions count as zeros. */
__kernel void avg_pool_forward(const int planes, const int height, const int width, const int window,
                               const int stride, const int padding, const int outH, const int outW,
                               const __global float* x, const int xOff, __global float* y, const int yOff) {
    const int idx = (int) get_global_id(0);
    if (idx >= planes * outH * outW) {
        return;
    }
    const int ox = idx % outW;
    const int oy = (idx / outW) % outH;
    const __global float* in = x + xOff + (idx / (outW * outH)) * height * width;
    const int y0 = oy * stride - padding;
    const int x0 = ox * stride - padding;
    float acc = 0.0f;
    for (int i = max(0, -y0); i < window && y0 + i < height; i++) {
        for (int j = max(0, -x0); j < window && x0 + j < width; j++) {
            acc += in[(y0 + i) * width + x0 + j];
        }
    }
    y[yOff + idx] = acc / (float) (window * window);
}

/*
 * The windows (oy, ox) that cover input position (yy, xx): oy*stride - padding <= yy < oy*stride - padding +
 * window, clipped to the output. The numerator of the lower bound may be negative; max() then clamps it to 0.
 */
#define COVERING_WINDOWS(yy, xx)                                                 \
    const int oyFirst = max(0, ((yy) + padding - window + stride) / stride);     \
    const int oyLast = min(outH - 1, ((yy) + padding) / stride);                 \
    const int oxFirst = max(0, ((xx) + padding - window + stride) / stride);     \
    const int oxLast = min(outW - 1, ((xx) + padding) / stride)

/*
 * One work-item per input element: sums the gradient of every window whose first maximum it is, in a fixed
 * order and without atomics, so the result is deterministic.
 */
__kernel void max_pool_backward(const int planes, const int height, const int width, const int window,
                                const int stride, const int padding, const int outH, const int outW,
                                const __global float* x, const int xOff, const __global float* dy, const int dyOff,
                                __global float* dx, const int dxOff) {
    const int idx = (int) get_global_id(0);
    if (idx >= planes * height * width) {
        return;
    }
    const int xx = idx % width;
    const int yy = (idx / width) % height;
    const int plane = idx / (width * height);
    const __global float* in = x + xOff + plane * height * width;
    const __global float* grad = dy + dyOff + plane * outH * outW;
    COVERING_WINDOWS(yy, xx);
    float acc = 0.0f;
    for (int oy = oyFirst; oy <= oyLast; oy++) {
        for (int ox = oxFirst; ox <= oxLast; ox++) {
            int best;
            FIRST_MAX_OF_WINDOW(in, height, width, window, stride, padding, oy, ox, best);
            if (best == yy * width + xx) {
                acc += grad[oy * outW + ox];
            }
        }
    }
    dx[dxOff + idx] = acc;
}

/* One work-item per input element: the sum of the covering windows' gradients over window*window. */
__kernel void avg_pool_backward(const int planes, const int height, const int width, const int window,
                                const int stride, const int padding, const int outH, const int outW,
                                const __global float* dy, const int dyOff, __global float* dx, const int dxOff) {
    const int idx = (int) get_global_id(0);
    if (idx >= planes * height * width) {
        return;
    }
    const int xx = idx % width;
    const int yy = (idx / width) % height;
    const __global float* grad = dy + dyOff + (idx / (width * height)) * outH * outW;
    COVERING_WINDOWS(yy, xx);
    float acc = 0.0f;
    for (int oy = oyFirst; oy <= oyLast; oy++) {
        for (int ox = oxFirst; ox <= oxLast; ox++) {
            acc += grad[oy * outW + ox];
        }
    }
    dx[dxOff + idx] = acc / (float) (window * window);
}
