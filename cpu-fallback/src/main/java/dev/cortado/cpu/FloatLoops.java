package dev.cortado.cpu;

import dev.cortado.backend.BinaryOp;

/**
 * The element-wise loops of the training step's hot ops, over float arrays at any offsets. C2 (JDK 17) vectorizes
 * a loop over several arrays only when they share one offset variable, which tensors at offsets of their own do
 * not, so these loops come in a Vector API version and a plain one; both give the same bits, but for the sums,
 * which add as many lanes side by side as the version's vectors hold ({@link #sumLanes}). Each method handles
 * indices {@code [0, n)} relative to the offsets; arrays named as inputs are only read.
 */
interface FloatLoops {
    // No default methods in this interface: initializing a version would then initialize the interface first,
    // and IN_USE would ask a version not yet initialized whether it is useful.

    /** The version the backend runs. */
    FloatLoops IN_USE = fastest();

    /** The Vector API's version where its module is present and useful here, else the plain one. */
    static FloatLoops fastest() {
        FloatLoops vector = VectorModule.present() ? VectorLoops.createIfUseful() : null;
        return vector != null ? vector : new ScalarLoops();
    }

    /** Names the version, for {@code cortado devices}. */
    String describe();

    /**
     * Whether these loops run on hardware vectors. The direct convolutions pay off only then: their plain loops
     * run a few times slower than the scalar GEMM, which C2 compiles to better code.
     */
    boolean vectorized();

    /** {@code y = Math.max(x, 0)}: NaN stays NaN. */
    void reluForward(float[] x, int xo, float[] y, int yo, int n);

    /** {@code dx = x > 0 ? dy : 0}, bit for bit (0 where x is NaN). */
    void reluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n);

    /**
     * {@code out = a op b} for a scalar b, op as {@link BinaryOp} defines it ({@code EQUAL}: 1 where
     * {@code a == b}, else 0); out may be a at the same offset.
     */
    void zipScalar(BinaryOp op, float[] a, int ao, float b, float[] out, int oo, int n);

    /**
     * {@code out = a op b} element by element, as {@link #zipScalar}; out may be a at the same offset, which makes
     * {@code ADD} an accumulation into a.
     */
    void zip(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n);

    /**
     * {@code dst[do, do + n) = src[so, so + n)} for arrays that do not overlap there: for runs of a few dozen
     * floats, where System.arraycopy's call costs more than the copy.
     */
    void copy(float[] src, int so, float[] dst, int dOff, int n);

    /** {@code dst[do, do + n) += src[so, so + n)} for arrays that do not overlap there. */
    void addTo(float[] src, int so, float[] dst, int dOff, int n);

    /**
     * {@code out = max(a + b, 0)}, the sum rounded first, then clamped as {@link #reluForward} clamps; out may be a
     * or b at the same offset.
     */
    void addRelu(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n);

    /**
     * {@code out = (x - shift) * scale + offset}, rounded step by step in that order; out may be x at the same
     * offset.
     */
    void affine(float[] x, int xo, float shift, float scale, float offset, float[] out, int oo, int n);

    /** {@link #affine}, then {@code max(out, 0)} as {@link #reluForward} takes it, in the same pass. */
    void affineRelu(float[] x, int xo, float shift, float scale, float offset, float[] out, int oo, int n);

    /**
     * {@code out = (x - shift) * scale + y * yScale + offset}, rounded step by step from left to right; out may be
     * x or y at the same offset.
     */
    void affineSum(float[] x, int xo, float shift, float scale, float[] y, int yo, float yScale, float offset,
                   float[] out, int oo, int n);

    /** How many partial sums {@link #sumOfRuns} and {@link #sumOfProductsOfRuns} keep side by side. */
    int sumLanes();

    /**
     * The sum of {@code runs} runs of n floats, run r being {@code a[ao + r*stride, ao + r*stride + n)}, in float,
     * in lanes: with {@code L = sumLanes()}, lane j adds elements {@code j, j + L, j + 2L, ...} of each run's whole
     * blocks of L, run after run, starting from +0; then lane 0 is added to lanes 1 to L - 1 in order, and each
     * run's elements after its last whole block to that, in order, run after run. Short runs (a batch norm's small
     * planes) thus pay for adding the lanes across once, not once a run.
     */
    float sumOfRuns(float[] a, int ao, int n, int runs, int stride);

    /**
     * {@link #sumOfRuns}'s order over the terms {@code (a[i] - aShift) * (b[j] - bShift)}, each rounded as in Java,
     * for the elements i of a's runs and j of b's, b's run r starting at {@code bo + r*stride}.
     */
    float sumOfProductsOfRuns(float[] a, int ao, float aShift, float[] b, int bo, float bShift, int n, int runs,
                              int stride);

    /**
     * SGD with momentum, as {@link dev.cortado.backend.SgdStep} defines it: {@code grad = g + wd * p},
     * {@code v = mu * v + grad}, then {@code p -= lr * (grad + mu * v)} with Nesterov momentum, else
     * {@code p -= lr * v}; g is left zero.
     */
    void sgdMomentum(float[] p, int po, float[] g, int go, float[] v, int vo, int n, float lr, float mu, float wd,
                     boolean nesterov);

    /**
     * Max pooling of {@code planes} consecutive {@code h x w} planes with 2x2 windows at stride 2, no padding: each
     * plane's {@code (h/2) x (w/2)} first maxima in row-major order, as {@link PoolingOps} defines them, go to y,
     * plane after plane; nothing past them in y is written.
     */
    void maxPoolForward(float[] x, int in, int h, int w, float[] y, int out, int planes);

    /**
     * The gradient of {@link #maxPoolForward}: overwrites the planes of dx from those of x and dy; nothing past them
     * in dx is written.
     */
    void maxPoolBackward(float[] x, int in, int h, int w, float[] dy, int out, float[] dx, int din, int planes);

    /**
     * Four output planes of a direct convolution, {@code out[oo + r*ldo + q] = sum of w[wo + r*taps + t] *
     * x[xo + offsets[t] + q]} for {@code r < 4}, {@code q < n}: the taps added in order from +0, each with a fused
     * multiply-add (as {@link Math#fma}).
     */
    void convolveFour(float[] x, int xo, int[] offsets, int taps, float[] w, int wo, float[] out, int oo, int ldo,
                      int n);

    /** {@link #convolveFour} for three output planes, {@code r < 3}, for output channels in threes. */
    void convolveThree(float[] x, int xo, int[] offsets, int taps, float[] w, int wo, float[] out, int oo, int ldo,
                       int n);

    /**
     * The sixteen sums of products of a direct convolution's weight gradient for four planes of dy and four taps:
     * {@code sums[so + 4*r + t] = sum over q < n of dy[dyo + r*ldy + q] * x[xo + offsets[to + t] + q]} for
     * {@code r, t < 4}, each accumulated with fused multiply-adds in an order of the implementation's choosing
     * (the same on every call).
     */
    void correlateFour(float[] dy, int dyo, int ldy, float[] x, int xo, int[] offsets, int to, float[] sums, int so,
                       int n);

    /**
     * {@link #correlateFour} for three planes of dy and five taps, for output channels in threes and kernel rows of
     * five: {@code sums[so + 5*r + t] = sum over q < n of dy[dyo + r*ldy + q] * x[xo + offsets[to + t] + q]} for
     * {@code r < 3}, {@code t < 5}, each accumulated with fused multiply-adds in an order of the implementation's
     * choosing (the same on every call).
     */
    void correlateThreeByFive(float[] dy, int dyo, int ldy, float[] x, int xo, int[] offsets, int to, float[] sums,
                              int so, int n);

    /** Floats in one of this version's vectors: 1 for the plain loops. */
    int lanes();

    /**
     * Sums of products for a convolution with its output channels side by side in vectors ({@link LaneConvolution}):
     * for {@code a < count} and {@code c < channels}, {@code sums[so + a*lds + c] +=} the sum over {@code r < n} of
     * {@code x[starts[from + a] + steps[r]] * m[mo + r*ldm + c]}. Each sum starts from +0 and takes r in order, each
     * by a fused multiply-add (as {@link Math#fma}), before it is added to sums, so every version gives the same
     * bits. The vector version keeps sixteen vectors of sums: it takes 16, 8 or 4 starts by one, two or four vectors
     * of channels ({@link #lanes} each).
     */
    void laneProducts(float[] x, int[] starts, int from, int count, int[] steps, int n, float[] m, int mo, int ldm,
                      int channels, float[] sums, int so, int lds);

    /**
     * Sums of products for an input gradient with a row of the image in a vector's lanes ({@link RowInputGradient}):
     * for rows {@code r < 2}, {@code c < channels} and lanes {@code q <} {@link #lanes}, {@code sums[so +
     * (r*channels + c)*lanes + q] +=} the sum over {@code s < n} of {@code w[wo + wAt[from + s] + c] *
     * rows[ro + rowAt[from + s] + r*rowStride + q]}. Each sum starts from +0 and takes s in order, each by a fused
     * multiply-add (as {@link Math#fma}), before it is added to sums, so every version gives the same bits. The
     * vector version takes {@value #ROW_CHANNELS} channels: twelve vectors of sums in registers, two loads of rows
     * and six broadcast floats of w per step.
     */
    void rowPairProducts(float[] rows, int ro, int[] rowAt, int rowStride, float[] w, int wo, int[] wAt, int from,
                         int n, int channels, float[] sums, int so);

    /** Channels of {@link #rowPairProducts}'s vector version. */
    int ROW_CHANNELS = 6;

    /**
     * Sums of products for a convolution with images side by side in a vector's lanes ({@link ImageLaneConvolution}):
     * for output channels {@code c <} {@value #IMAGE_CHANNELS}, pixels {@code p <} {@value #IMAGE_PIXELS} and lanes
     * {@code q <} {@link #lanes}, {@code sums[so + c*lds + p*lanes + q] =} the sum over {@code t < taps} of
     * {@code w[wo + c*taps + t] * x[xo + xAt[t] + p*lanes + q]}. Each sum starts from +0 and takes t in order, each
     * by a fused multiply-add (as {@link Math#fma}), so every version gives the same bits. The vector version keeps
     * the twenty vectors of sums in registers and reads five vectors of x and four floats of w per tap.
     */
    void imageProducts(float[] x, int xo, int[] xAt, float[] w, int wo, int taps, float[] sums, int so, int lds);

    /** Output channels of one {@link #imageProducts} call. */
    int IMAGE_CHANNELS = 4;

    /** Pixels, one vector each, of one {@link #imageProducts} call. */
    int IMAGE_PIXELS = 5;

    /**
     * Images side by side in lanes, for {@link ImageLaneConvolution}: {@code to[too + p*lanes + q] =
     * x[xo + imageAt[q] + p]} for pixels {@code p < n} and lanes {@code q < images}, and 0 in lanes {@code images}
     * and on ({@link #lanes} in all).
     */
    void gatherImages(float[] x, int xo, int[] imageAt, int images, float[] to, int too, int n);

    /**
     * The inverse of {@link #gatherImages} for lanes {@code q < images}: {@code y[yo + imageAt[q] + p] =
     * from[fo + p*lanes + q]} for pixels {@code p < n}.
     */
    void scatterImages(float[] from, int fo, float[] y, int yo, int[] imageAt, int images, int n);

    /**
     * Sums of products for a weight gradient with images side by side in a vector's lanes
     * ({@link ImageLaneConvolution}): for output channels {@code c <} {@value #IMAGE_CHANNELS}, taps {@code t <}
     * {@value #IMAGE_TAPS} and lanes {@code q <} {@link #lanes}, {@code sums[so + (c*IMAGE_TAPS + t)*lanes + q] +=}
     * the sum over pixels {@code r < n} of {@code dy[dyo + c*ldy + r*lanes + q] * x[xo + xAt[to + t] + pixelAt[r] +
     * q]}. Each sum starts from +0 and takes r in order, each by a fused multiply-add (as {@link Math#fma}), before it
     * is added to sums, so every version gives the same bits. The vector version keeps the twenty vectors of sums in
     * registers and reads four vectors of dy and five of x per pixel.
     */
    void imageGradientProducts(float[] dy, int dyo, int ldy, float[] x, int xo, int[] xAt, int to, int[] pixelAt,
                               int n, float[] sums, int so);

    /** Taps of one {@link #imageGradientProducts} call. */
    int IMAGE_TAPS = 5;

    /**
     * Winograd F(2x2, 3x3)'s input transform {@code V = B^T d B}, {@code B^T = [[1, 0, -1, 0], [0, 1, 1, 0],
     * [0, -1, 1, 0], [0, 1, 0, -1]]}, of n tiles whose inputs lie in four phase planes: input {@code (r, s)} of
     * tile t is {@code x[xo + (2*(r%2) + s%2)*phaseStride + (r/2)*rowShift + s/2 + t]}, and element
     * {@code (i, j)} of its transform goes to {@code v[vo + (4*i + j)*elementStride + t]}. Each element is
     * computed as {@link ScalarLoops#winogradInputFrom} does, so every version gives the same bits (NaN payloads
     * aside).
     */
    void winogradInput(float[] x, int xo, int phaseStride, int rowShift, float[] v, int vo, int elementStride, int n);

    /**
     * Winograd F(2x2, 3x3)'s output transform {@code Y = A^T M A}, {@code A^T = [[1, 1, 1, 0], [0, 1, -1, -1]]}, of
     * n tiles: element {@code (i, j)} of tile t's M is {@code m[mo + (4*i + j)*elementStride + t]}, and output
     * {@code (a, b)} goes to {@code y[yo + (2*a + b)*outputStride + t]}, computed as
     * {@link ScalarLoops#winogradOutputFrom} does.
     */
    void winogradOutput(float[] m, int mo, int elementStride, float[] y, int yo, int outputStride, int n);

    /**
     * A run's even and odd floats apart: {@code evens[eo + i] = x[xo + 2*i]} for {@code 2*i < n} and
     * {@code odds[oo + i] = x[xo + 2*i + 1]} for {@code 2*i + 1 < n}. Versions may write whole vectors: up to
     * {@code room} floats after the last of evens and of odds may be overwritten with anything, and x read up to
     * {@code 2*room + 1} floats past its n (never past its end).
     */
    void splitPairs(float[] x, int xo, int n, float[] evens, int eo, float[] odds, int oo, int room);

    /**
     * Two runs interleaved: {@code out[oo + 2*i] = a[ao + i]} for {@code 2*i < n} and
     * {@code out[oo + 2*i + 1] = b[bo + i]} for {@code 2*i + 1 < n}. Versions may write whole vectors: up to
     * {@code room} floats after out's n may be overwritten with anything, and a and b read as far past their
     * ends as that takes (never past the arrays' ends).
     */
    void interleavePairs(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n, int room);

    /**
     * One image row's share of col2im at stride 1 without dilation: for each kernel column {@code j < kw}, the
     * column-matrix run {@code columns[first + j*jStride + ox]}, {@code ox < outW}, is added to
     * {@code image[row + ox + j - padding]} where that lies in {@code [0, w)}, j by j. Elements of image up to
     * {@code room} floats from {@code row} may be read and written back unchanged.
     */
    void foldRow(float[] columns, int first, int jStride, int kw, int outW, int padding, float[] image, int row,
                 int w, int room);
}
