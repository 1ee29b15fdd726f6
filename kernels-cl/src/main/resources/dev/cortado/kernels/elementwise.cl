/*
 * Element-wise kernels. Every tensor is a buffer plus an offset in floats; one work-item per element.
 * Op codes (UNARY_EXP, BINARY_ADD, ...) are defined by the host from the Java enums UnaryOp and BinaryOp
 * (OpCodes in cortado-backend-kernels), ahead of this text.
 */

/* dst[i] = value */
__kernel void fill(const int n, __global float* dst, const int dstOff, const float value) {
    const int i = (int) get_global_id(0);
    if (i < n) {
        dst[dstOff + i] = value;
    }
}

/* y[i] = op(x[i]) */
__kernel void map_unary(const int n, const int op, const __global float* x, const int xOff,
                        __global float* y, const int yOff) {
    const int i = (int) get_global_id(0);
    if (i >= n) {
        return;
    }
    const float v = x[xOff + i];
    float r;
    switch (op) {
        case UNARY_SQUARE: r = v * v; break;
        case UNARY_SQRT: r = sqrt(v); break;
        case UNARY_RSQRT: r = rsqrt(v); break;
        case UNARY_EXP: r = exp(v); break;
        case UNARY_LOG: r = log(v); break;
        case UNARY_NEG: r = -v; break;
        case UNARY_ABS: r = fabs(v); break;
        default: r = 1.0f / v; break;
    }
    y[yOff + i] = r;
}

/* y[i] = scale * x[i] + shift */
__kernel void affine(const int n, const float scale, const __global float* x, const int xOff, const float shift,
                     __global float* y, const int yOff) {
    const int i = (int) get_global_id(0);
    if (i < n) {
        y[yOff + i] = scale * x[xOff + i] + shift;
    }
}

/* out[i] = op(a[i], b[(i / bInner) % bSize]) */
__kernel void zip_broadcast(const int n, const int op, const __global float* a, const int aOff,
                            const __global float* b, const int bOff, const int bInner, const int bSize,
                            __global float* out, const int outOff) {
    const int i = (int) get_global_id(0);
    if (i >= n) {
        return;
    }
    const float u = a[aOff + i];
    const float v = b[bOff + (i / bInner) % bSize];
    float r;
    switch (op) {
        case BINARY_ADD: r = u + v; break;
        case BINARY_SUB: r = u - v; break;
        case BINARY_MUL: r = u * v; break;
        case BINARY_DIV: r = u / v; break;
        default: r = u == v ? 1.0f : 0.0f; break;
    }
    out[outOff + i] = r;
}

/* y[i] = alpha * x[i] + beta * y[i]; y is not read when beta is 0. */
__kernel void axpby(const int n, const float alpha, const __global float* x, const int xOff, const float beta,
                    __global float* y, const int yOff) {
    const int i = (int) get_global_id(0);
    if (i >= n) {
        return;
    }
    const float ax = alpha * x[xOff + i];
    y[yOff + i] = beta == 0.0f ? ax : ax + beta * y[yOff + i];
}
