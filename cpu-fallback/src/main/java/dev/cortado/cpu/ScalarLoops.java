package dev.cortado.cpu;

import dev.cortado.backend.BinaryOp;

/**
 * {@link FloatLoops} as plain loops, for JVMs without the Vector API. The static {@code ...From} methods run a
 * loop over indices {@code [from, n)} only: {@link VectorLoops} finishes its vector loops with them.
 */
final class ScalarLoops implements FloatLoops {

    @Override
    public String describe() {
        return "scalar";
    }

    @Override
    public boolean vectorized() {
        return false;
    }

    @Override
    public void reluForward(float[] x, int xo, float[] y, int yo, int n) {
        reluForwardFrom(x, xo, y, yo, 0, n);
    }

    static void reluForwardFrom(float[] x, int xo, float[] y, int yo, int from, int n) {
        for (int i = from; i < n; i++) {
            y[yo + i] = Math.max(x[xo + i], 0f);
        }
    }

    @Override
    public void copy(float[] src, int so, float[] dst, int dOff, int n) {
        copyFrom(src, so, dst, dOff, 0, n);
    }

    static void copyFrom(float[] src, int so, float[] dst, int dOff, int from, int n) {
        for (int i = from; i < n; i++) {
            dst[dOff + i] = src[so + i];
        }
    }

    @Override
    public void addTo(float[] src, int so, float[] dst, int dOff, int n) {
        addToFrom(src, so, dst, dOff, 0, n);
    }

    static void addToFrom(float[] src, int so, float[] dst, int dOff, int from, int n) {
        for (int i = from; i < n; i++) {
            dst[dOff + i] += src[so + i];
        }
    }

    @Override
    public void convolveFour(float[] x, int xo, int[] offsets, int taps, float[] w, int wo, float[] out, int oo,
                             int ldo, int n) {
        convolveFrom(4, x, xo, offsets, taps, w, wo, out, oo, ldo, 0, n);
    }

    @Override
    public void convolveThree(float[] x, int xo, int[] offsets, int taps, float[] w, int wo, float[] out, int oo,
                              int ldo, int n) {
        convolveFrom(3, x, xo, offsets, taps, w, wo, out, oo, ldo, 0, n);
    }

    /** {@link #convolveFour} for {@code planes} planes, from column {@code from} on. */
    static void convolveFrom(int planes, float[] x, int xo, int[] offsets, int taps, float[] w, int wo, float[] out,
                             int oo, int ldo, int from, int n) {
        for (int r = 0; r < planes; r++) {
            for (int q = from; q < n; q++) {
                float sum = 0f;
                for (int t = 0; t < taps; t++) {
                    sum = Math.fma(w[wo + r * taps + t], x[xo + offsets[t] + q], sum);
                }
                out[oo + r * ldo + q] = sum;
            }
        }
    }

    @Override
    public void correlateFour(float[] dy, int dyo, int ldy, float[] x, int xo, int[] offsets, int to, float[] sums,
                              int so, int n) {
        for (int r = 0; r < 4; r++) {
            for (int t = 0; t < 4; t++) {
                sums[so + 4 * r + t] = correlateFrom(0f, dy, dyo + r * ldy, x, xo + offsets[to + t], 0, n);
            }
        }
    }

    @Override
    public void correlateThreeByFive(float[] dy, int dyo, int ldy, float[] x, int xo, int[] offsets, int to,
                                     float[] sums, int so, int n) {
        for (int r = 0; r < 3; r++) {
            for (int t = 0; t < 5; t++) {
                sums[so + 5 * r + t] = correlateFrom(0f, dy, dyo + r * ldy, x, xo + offsets[to + t], 0, n);
            }
        }
    }

    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public void laneProducts(float[] x, int[] starts, int from, int count, int[] steps, int n, float[] m, int mo,
                             int ldm, int channels, float[] sums, int so, int lds) {
        for (int a = 0; a < count; a++) {
            for (int c = 0; c < channels; c++) {
                float sum = 0f;
                for (int r = 0; r < n; r++) {
                    sum = Math.fma(x[starts[from + a] + steps[r]], m[mo + r * ldm + c], sum);
                }
                sums[so + a * lds + c] += sum;
            }
        }
    }

    @Override
    public void rowPairProducts(float[] rows, int ro, int[] rowAt, int rowStride, float[] w, int wo, int[] wAt,
                                int from, int n, int channels, float[] sums, int so) {
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < channels; c++) {
                float sum = 0f;
                for (int s = from; s < from + n; s++) {
                    sum = Math.fma(w[wo + wAt[s] + c], rows[ro + rowAt[s] + r * rowStride], sum);
                }
                sums[so + r * channels + c] += sum;
            }
        }
    }

    @Override
    public void imageProducts(float[] x, int xo, int[] xAt, float[] w, int wo, int taps, float[] sums, int so,
                              int lds) {
        for (int c = 0; c < IMAGE_CHANNELS; c++) {
            for (int p = 0; p < IMAGE_PIXELS; p++) {
                float sum = 0f;
                for (int t = 0; t < taps; t++) {
                    sum = Math.fma(w[wo + c * taps + t], x[xo + xAt[t] + p], sum);
                }
                sums[so + c * lds + p] = sum;
            }
        }
    }

    @Override
    public void imageGradientProducts(float[] dy, int dyo, int ldy, float[] x, int xo, int[] xAt, int to,
                                      int[] pixelAt, int n, float[] sums, int so) {
        for (int c = 0; c < IMAGE_CHANNELS; c++) {
            for (int t = 0; t < IMAGE_TAPS; t++) {
                float sum = 0f;
                for (int r = 0; r < n; r++) {
                    sum = Math.fma(dy[dyo + c * ldy + r], x[xo + xAt[to + t] + pixelAt[r]], sum);
                }
                sums[so + c * IMAGE_TAPS + t] += sum;
            }
        }
    }

    @Override
    public void gatherImages(float[] x, int xo, int[] imageAt, int images, float[] to, int too, int n) {
        gatherImagesFrom(x, xo, imageAt, images, to, too, 1, n);
    }

    /** {@link FloatLoops#gatherImages} for {@code lanes} lanes, one float at a time. */
    static void gatherImagesFrom(float[] x, int xo, int[] imageAt, int images, float[] to, int too, int lanes,
                                 int n) {
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < lanes; q++) {
                to[too + p * lanes + q] = q < images ? x[xo + imageAt[q] + p] : 0f;
            }
        }
    }

    @Override
    public void scatterImages(float[] from, int fo, float[] y, int yo, int[] imageAt, int images, int n) {
        scatterImagesFrom(from, fo, y, yo, imageAt, images, 1, n);
    }

    /** {@link FloatLoops#scatterImages} for {@code lanes} lanes, one float at a time. */
    static void scatterImagesFrom(float[] from, int fo, float[] y, int yo, int[] imageAt, int images, int lanes,
                                  int n) {
        for (int q = 0; q < images; q++) {
            for (int p = 0; p < n; p++) {
                y[yo + imageAt[q] + p] = from[fo + p * lanes + q];
            }
        }
    }

    /** {@code sum} plus {@code dy[dyo + q] * x[xo + q]} for q from {@code from} to n, each by a fused multiply-add. */
    static float correlateFrom(float sum, float[] dy, int dyo, float[] x, int xo, int from, int n) {
        for (int q = from; q < n; q++) {
            sum = Math.fma(dy[dyo + q], x[xo + q], sum);
        }
        return sum;
    }

    @Override
    public void affine(float[] x, int xo, float shift, float scale, float offset, float[] out, int oo, int n) {
        affineFrom(x, xo, shift, scale, offset, out, oo, 0, n);
    }

    static void affineFrom(float[] x, int xo, float shift, float scale, float offset, float[] out, int oo, int from,
                           int n) {
        for (int i = from; i < n; i++) {
            out[oo + i] = (x[xo + i] - shift) * scale + offset;
        }
    }

    @Override
    public void addRelu(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        addReluFrom(a, ao, b, bo, out, oo, 0, n);
    }

    static void addReluFrom(float[] a, int ao, float[] b, int bo, float[] out, int oo, int from, int n) {
        for (int i = from; i < n; i++) {
            out[oo + i] = Math.max(a[ao + i] + b[bo + i], 0f);
        }
    }

    @Override
    public void affineRelu(float[] x, int xo, float shift, float scale, float offset, float[] out, int oo, int n) {
        affineReluFrom(x, xo, shift, scale, offset, out, oo, 0, n);
    }

    static void affineReluFrom(float[] x, int xo, float shift, float scale, float offset, float[] out, int oo,
                               int from, int n) {
        for (int i = from; i < n; i++) {
            out[oo + i] = Math.max((x[xo + i] - shift) * scale + offset, 0f);
        }
    }

    @Override
    public void affineSum(float[] x, int xo, float shift, float scale, float[] y, int yo, float yScale,
                          float offset, float[] out, int oo, int n) {
        affineSumFrom(x, xo, shift, scale, y, yo, yScale, offset, out, oo, 0, n);
    }

    static void affineSumFrom(float[] x, int xo, float shift, float scale, float[] y, int yo, float yScale,
                              float offset, float[] out, int oo, int from, int n) {
        for (int i = from; i < n; i++) {
            out[oo + i] = (x[xo + i] - shift) * scale + y[yo + i] * yScale + offset;
        }
    }

    @Override
    public void reluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        reluBackwardFrom(x, xo, dy, dyo, dx, dxo, 0, n);
    }

    static void reluBackwardFrom(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int from, int n) {
        for (int i = from; i < n; i++) {
            int mask = ActivationOps.positive(x[xo + i]);
            dx[dxo + i] = Float.intBitsToFloat(mask & Float.floatToRawIntBits(dy[dyo + i]));
        }
    }

    /** Eight partial sums, as many independent additions as keep a core's adders busy. */
    @Override
    public int sumLanes() {
        return 8;
    }

    @Override
    public float sumOfRuns(float[] a, int ao, int n, int runs, int stride) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        float s4 = 0f;
        float s5 = 0f;
        float s6 = 0f;
        float s7 = 0f;
        int whole = n / 8 * 8;
        for (int run = 0; run < runs; run++) {
            int first = ao + run * stride;
            for (int i = 0; i < whole; i += 8) {
                int at = first + i;
                s0 += a[at];
                s1 += a[at + 1];
                s2 += a[at + 2];
                s3 += a[at + 3];
                s4 += a[at + 4];
                s5 += a[at + 5];
                s6 += a[at + 6];
                s7 += a[at + 7];
            }
        }
        float r = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
        for (int run = 0; run < runs; run++) {
            r = sumFrom(r, a, ao + run * stride, whole, n);
        }
        return r;
    }

    /** {@code r} plus {@code a[from, n)}, one by one in order: the tail of a run of {@link #sumOfRuns}. */
    static float sumFrom(float r, float[] a, int ao, int from, int n) {
        for (int i = from; i < n; i++) {
            r += a[ao + i];
        }
        return r;
    }

    @Override
    public float sumOfProductsOfRuns(float[] a, int ao, float aShift, float[] b, int bo, float bShift, int n,
                                     int runs, int stride) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        float s4 = 0f;
        float s5 = 0f;
        float s6 = 0f;
        float s7 = 0f;
        int whole = n / 8 * 8;
        for (int run = 0; run < runs; run++) {
            for (int i = 0; i < whole; i += 8) {
                int p = ao + run * stride + i;
                int q = bo + run * stride + i;
                s0 += (a[p] - aShift) * (b[q] - bShift);
                s1 += (a[p + 1] - aShift) * (b[q + 1] - bShift);
                s2 += (a[p + 2] - aShift) * (b[q + 2] - bShift);
                s3 += (a[p + 3] - aShift) * (b[q + 3] - bShift);
                s4 += (a[p + 4] - aShift) * (b[q + 4] - bShift);
                s5 += (a[p + 5] - aShift) * (b[q + 5] - bShift);
                s6 += (a[p + 6] - aShift) * (b[q + 6] - bShift);
                s7 += (a[p + 7] - aShift) * (b[q + 7] - bShift);
            }
        }
        float r = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
        for (int run = 0; run < runs; run++) {
            r = sumOfProductsFrom(r, a, ao + run * stride, aShift, b, bo + run * stride, bShift, whole, n);
        }
        return r;
    }

    /** {@code r} plus the terms of {@link #sumOfProductsOfRuns} for {@code [from, n)} of a run, one by one in order. */
    static float sumOfProductsFrom(float r, float[] a, int ao, float aShift, float[] b, int bo, float bShift,
                                   int from, int n) {
        for (int i = from; i < n; i++) {
            r += (a[ao + i] - aShift) * (b[bo + i] - bShift);
        }
        return r;
    }

    @Override
    public void zipScalar(BinaryOp op, float[] a, int ao, float b, float[] out, int oo, int n) {
        zipScalarFrom(op, a, ao, b, out, oo, 0, n);
    }

    static void zipScalarFrom(BinaryOp op, float[] a, int ao, float b, float[] out, int oo, int from, int n) {
        switch (op) {
            case ADD -> {
                for (int i = from; i < n; i++) {
                    out[oo + i] = a[ao + i] + b;
                }
            }
            case SUB -> {
                for (int i = from; i < n; i++) {
                    out[oo + i] = a[ao + i] - b;
                }
            }
            case MUL -> {
                for (int i = from; i < n; i++) {
                    out[oo + i] = a[ao + i] * b;
                }
            }
            case DIV -> {
                for (int i = from; i < n; i++) {
                    out[oo + i] = a[ao + i] / b;
                }
            }
            case EQUAL -> {
                for (int i = from; i < n; i++) {
                    out[oo + i] = a[ao + i] == b ? 1f : 0f;
                }
            }
        }
    }

    @Override
    public void zip(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        zipFrom(op, a, ao, b, bo, out, oo, 0, n);
    }

    static void zipFrom(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int from, int n) {
        switch (op) {
            case ADD -> {
                for (int i = from; i < n; i++) {
                    out[oo + i] = a[ao + i] + b[bo + i];
                }
            }
            case SUB -> {
                for (int i = from; i < n; i++) {
                    out[oo + i] = a[ao + i] - b[bo + i];
                }
            }
            case MUL -> {
                for (int i = from; i < n; i++) {
                    out[oo + i] = a[ao + i] * b[bo + i];
                }
            }
            case DIV -> {
                for (int i = from; i < n; i++) {
                    out[oo + i] = a[ao + i] / b[bo + i];
                }
            }
            case EQUAL -> {
                for (int i = from; i < n; i++) {
                    out[oo + i] = a[ao + i] == b[bo + i] ? 1f : 0f;
                }
            }
        }
    }

    @Override
    public void sgdMomentum(float[] p, int po, float[] g, int go, float[] v, int vo, int n, float lr, float mu,
                            float wd, boolean nesterov) {
        sgdMomentumFrom(p, po, g, go, v, vo, 0, n, lr, mu, wd, nesterov);
    }

    static void sgdMomentumFrom(float[] p, int po, float[] g, int go, float[] v, int vo, int from, int n, float lr,
                                float mu, float wd, boolean nesterov) {
        for (int i = from; i < n; i++) {
            float grad = g[go + i] + wd * p[po + i];
            g[go + i] = 0f;
            float vel = mu * v[vo + i] + grad;
            v[vo + i] = vel;
            p[po + i] -= lr * (nesterov ? grad + mu * vel : vel);
        }
    }

    @Override
    public void maxPoolForward(float[] x, int in, int h, int w, float[] y, int out, int planes) {
        for (int p = 0; p < planes; p++) {
            PoolingOps.maxForwardTwoByTwo(x, in + p * h * w, h, w, y, out + p * (h / 2) * (w / 2));
        }
    }

    @Override
    public void maxPoolBackward(float[] x, int in, int h, int w, float[] dy, int out, float[] dx, int din,
                                int planes) {
        for (int p = 0; p < planes; p++) {
            PoolingOps.maxBackwardTwoByTwo(x, in + p * h * w, h, w, dy, out + p * (h / 2) * (w / 2), dx,
                    din + p * h * w);
        }
    }

    @Override
    public void winogradInput(float[] x, int xo, int phaseStride, int rowShift, float[] v, int vo,
                              int elementStride, int n) {
        winogradInputFrom(x, xo, phaseStride, rowShift, v, vo, elementStride, 0, n);
    }

    /**
     * {@link #winogradInput} for tiles {@code from} to n, one at a time: column j of d's rows transformed
     * ({@code h[r] = d[r][0] - d[r][2]}, {@code d[r][1] + d[r][2]}, {@code d[r][2] - d[r][1]} or
     * {@code d[r][1] - d[r][3]} for j = 0..3), then that column ({@code h[0] - h[2]}, {@code h[1] + h[2]},
     * {@code h[2] - h[1]}, {@code h[1] - h[3]}).
     */
    static void winogradInputFrom(float[] x, int xo, int phaseStride, int rowShift, float[] v, int vo,
                                  int elementStride, int from, int n) {
        for (int t = from; t < n; t++) {
            for (int j = 0; j < 4; j++) {
                float h0 = winogradRow(x, xo + t, phaseStride, j);
                float h1 = winogradRow(x, xo + 2 * phaseStride + t, phaseStride, j);
                float h2 = winogradRow(x, xo + rowShift + t, phaseStride, j);
                float h3 = winogradRow(x, xo + 2 * phaseStride + rowShift + t, phaseStride, j);
                int out = vo + j * elementStride + t;
                v[out] = h0 - h2;
                v[out + 4 * elementStride] = h1 + h2;
                v[out + 8 * elementStride] = h2 - h1;
                v[out + 12 * elementStride] = h1 - h3;
            }
        }
    }

    /** Column j of the row of d that starts at {@code row} transformed. */
    private static float winogradRow(float[] x, int row, int phaseStride, int j) {
        return switch (j) {
            case 0 -> x[row] - x[row + 1];
            case 1 -> x[row + phaseStride] + x[row + 1];
            case 2 -> x[row + 1] - x[row + phaseStride];
            default -> x[row + phaseStride] - x[row + phaseStride + 1];
        };
    }

    @Override
    public void winogradOutput(float[] m, int mo, int elementStride, float[] y, int yo, int outputStride, int n) {
        winogradOutputFrom(m, mo, elementStride, y, yo, outputStride, 0, n);
    }

    /**
     * {@link #winogradOutput} for tiles {@code from} to n, one at a time: for each column j,
     * {@code s[j] = m[0][j] + m[1][j] + m[2][j]} and {@code e[j] = m[1][j] - m[2][j] - m[3][j]}, added left to
     * right; then {@code y[0][0] = s0 + s1 + s2}, {@code y[0][1] = s1 - s2 - s3}, and the same of e for row 1.
     */
    static void winogradOutputFrom(float[] m, int mo, int elementStride, float[] y, int yo, int outputStride,
                                   int from, int n) {
        for (int t = from; t < n; t++) {
            int at = mo + t;
            float s0 = winogradColumnSum(m, at, elementStride);
            float s1 = winogradColumnSum(m, at + elementStride, elementStride);
            float s2 = winogradColumnSum(m, at + 2 * elementStride, elementStride);
            float s3 = winogradColumnSum(m, at + 3 * elementStride, elementStride);
            float e0 = winogradColumnDifference(m, at, elementStride);
            float e1 = winogradColumnDifference(m, at + elementStride, elementStride);
            float e2 = winogradColumnDifference(m, at + 2 * elementStride, elementStride);
            float e3 = winogradColumnDifference(m, at + 3 * elementStride, elementStride);
            y[yo + t] = s0 + s1 + s2;
            y[yo + outputStride + t] = s1 - s2 - s3;
            y[yo + 2 * outputStride + t] = e0 + e1 + e2;
            y[yo + 3 * outputStride + t] = e1 - e2 - e3;
        }
    }

    /** {@code m[0][j] + m[1][j] + m[2][j]} for the column j that starts at {@code at}. */
    private static float winogradColumnSum(float[] m, int at, int elementStride) {
        return m[at] + m[at + 4 * elementStride] + m[at + 8 * elementStride];
    }

    /** {@code m[1][j] - m[2][j] - m[3][j]} for the column j that starts at {@code at}. */
    private static float winogradColumnDifference(float[] m, int at, int elementStride) {
        return m[at + 4 * elementStride] - m[at + 8 * elementStride] - m[at + 12 * elementStride];
    }

    @Override
    public void splitPairs(float[] x, int xo, int n, float[] evens, int eo, float[] odds, int oo, int room) {
        splitPairsFrom(x, xo, n, evens, eo, odds, oo, 0);
    }

    /** {@link #splitPairs} from pair {@code from} on, one float at a time. */
    static void splitPairsFrom(float[] x, int xo, int n, float[] evens, int eo, float[] odds, int oo, int from) {
        for (int i = from; 2 * i < n; i++) {
            evens[eo + i] = x[xo + 2 * i];
            if (2 * i + 1 < n) {
                odds[oo + i] = x[xo + 2 * i + 1];
            }
        }
    }

    @Override
    public void interleavePairs(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n, int room) {
        interleavePairsFrom(a, ao, b, bo, out, oo, n, 0);
    }

    /** {@link #interleavePairs} from pair {@code from} on, one float at a time. */
    static void interleavePairsFrom(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n, int from) {
        for (int i = from; 2 * i < n; i++) {
            out[oo + 2 * i] = a[ao + i];
            if (2 * i + 1 < n) {
                out[oo + 2 * i + 1] = b[bo + i];
            }
        }
    }

    @Override
    public void foldRow(float[] columns, int first, int jStride, int kw, int outW, int padding, float[] image,
                        int row, int w, int room) {
        foldRowPlain(columns, first, jStride, kw, outW, padding, image, row, w);
    }

    /** {@link #foldRow} one float at a time, which needs no room past the row. */
    static void foldRowPlain(float[] columns, int first, int jStride, int kw, int outW, int padding, float[] image,
                             int row, int w) {
        for (int j = 0; j < kw; j++) {
            ConvolutionOps.addShifted(columns, first + j * jStride, outW, j - padding, image, row, w);
        }
    }
}
