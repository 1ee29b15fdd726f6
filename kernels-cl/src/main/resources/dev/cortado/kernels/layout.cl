/*
 * Data movement for convolution: im2col, its adjoint col2im, and swapping the two leading axes.
 * Geometry follows dev.cortado.backend.ConvGeometry: the column matrix has C*KH*KW rows and N*OH*OW columns;
 * row (c*KH + i)*KW + j, column (n*OH + oy)*OW + ox holds x[n][c][oy*S - P + i*D][ox*S - P + j*D] or 0.
 */

/* One work-item per column-matrix entry, columns fastest so writes are contiguous. */
__kernel void im2col(const int channels, const int height, const int width, const int kernelH, const int kernelW,
                     const int stride, const int padding, const int dilation, const int outH, const int outW,
                     const int columnCols, const int total,
                     const __global float* image, const int imageOff, __global float* columns, const int colOff) {
    const int idx = (int) get_global_id(0);
    if (idx >= total) {
        return;
    }
    const int col = idx % columnCols;
    const int row = idx / columnCols;
    const int j = row % kernelW;
    const int i = (row / kernelW) % kernelH;
    const int c = row / (kernelW * kernelH);
    const int ox = col % outW;
    const int oy = (col / outW) % outH;
    const int n = col / (outW * outH);
    const int y = oy * stride - padding + i * dilation;
    const int x = ox * stride - padding + j * dilation;
    float v = 0.0f;
    if (y >= 0 && y < height && x >= 0 && x < width) {
        v = image[imageOff + ((n * channels + c) * height + y) * width + x];
    }
    columns[colOff + idx] = v;
}

/*
 * One work-item per image element: gathers every column entry copied from it, in a fixed order (no atomics,
 * so the result is deterministic).
 */
__kernel void col2im(const int channels, const int height, const int width, const int kernelH, const int kernelW,
                     const int stride, const int padding, const int dilation, const int outH, const int outW,
                     const int columnCols, const int total,
                     const __global float* columns, const int colOff, __global float* image, const int imageOff) {
    const int idx = (int) get_global_id(0);
    if (idx >= total) {
        return;
    }
    const int x = idx % width;
    const int y = (idx / width) % height;
    const int c = (idx / (width * height)) % channels;
    const int n = idx / (width * height * channels);
    float acc = 0.0f;
    for (int i = 0; i < kernelH; i++) {
        const int ty = y + padding - i * dilation;
        if (ty < 0 || ty % stride != 0 || ty / stride >= outH) {
            continue;
        }
        const int oy = ty / stride;
        for (int j = 0; j < kernelW; j++) {
            const int tx = x + padding - j * dilation;
            if (tx < 0 || tx % stride != 0 || tx / stride >= outW) {
                continue;
            }
            const int ox = tx / stride;
            const int row = (c * kernelH + i) * kernelW + j;
            const int col = (n * outH + oy) * outW + ox;
            acc += columns[colOff + row * columnCols + col];
        }
    }
    image[imageOff + idx] = acc;
}

/* dst[j][i][k] = src[i][j][k] for an (a, b, c) source; one work-item per element of dst. */
__kernel void swap_leading_axes(const int a, const int b, const int c, const __global float* src, const int srcOff,
                                __global float* dst, const int dstOff) {
    const int idx = (int) get_global_id(0);
    if (idx >= a * b * c) {
        return;
    }
    const int k = idx % c;
    const int i = (idx / c) % a;
    const int j = idx / (c * a);
    dst[dstOff + idx] = src[srcOff + (i * b + j) * c + k];
}
