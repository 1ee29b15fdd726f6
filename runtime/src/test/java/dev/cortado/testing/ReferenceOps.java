package dev.cortado.testing;

import dev.cortado.backend.Activation;
import dev.cortado.backend.AdamStep;
import dev.cortado.backend.BatchNormSpec;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
import dev.cortado.backend.DropoutSpec;
import dev.cortado.backend.GemmSpec;
import dev.cortado.backend.PoolSpec;
import dev.cortado.backend.SgdStep;
import dev.cortado.backend.UnaryOp;
import dev.cortado.random.Philox;

/**
 * Plain implementations of every {@link dev.cortado.backend.Backend} op on host arrays, written from the op's
 * Javadoc and the spec records alone. They favour the obvious loop over speed, accumulate in double and round
 * once to float, so a backend's result differs from them only by its own rounding.
 *
 * <p>Ops return a new array with the output; ops that update in place (optimizers, GEMM with its {@code beta})
 * take the old values as input and leave the caller's arrays untouched.
 */
public final class ReferenceOps {

    private ReferenceOps() {
    }

    // ---- linear algebra and convolution -------------------------------------------------------------------

    /** {@code C[i] = alpha * op(A[i]) * op(B[i]) + beta * C[i]}; returns the new C, gaps between matrices kept. */
    public static float[] gemm(GemmSpec s, float[] a, float[] b, float[] c) {
        float[] out = c.clone();
        for (int batch = 0; batch < s.batch(); batch++) {
            long ao = batch * s.strideA();
            long bo = batch * s.strideB();
            long co = batch * s.strideC();
            for (int i = 0; i < s.m(); i++) {
                for (int j = 0; j < s.n(); j++) {
                    double acc = 0;
                    for (int p = 0; p < s.k(); p++) {
                        long aip = s.transA() ? (long) p * s.m() + i : (long) i * s.k() + p;
                        long bpj = s.transB() ? (long) j * s.k() + p : (long) p * s.n() + j;
                        acc += (double) a[(int) (ao + aip)] * b[(int) (bo + bpj)];
                    }
                    int ci = (int) (co + (long) i * s.n() + j);
                    double old = s.beta() == 0f ? 0 : (double) s.beta() * c[ci];
                    out[ci] = (float) (s.alpha() * acc + old);
                }
            }
        }
        return out;
    }

    /**
     * The index into an NCHW image of column-matrix entry (row, col), or -1 where it falls in the padding. Shared
     * by {@link #im2col} and {@link #col2im} so that the two are adjoint by construction.
     */
    private static int imageIndex(ConvGeometry g, int row, int col) {
        int j = row % g.kernelW();
        int i = (row / g.kernelW()) % g.kernelH();
        int c = row / (g.kernelW() * g.kernelH());
        int ox = col % g.outWidth();
        int oy = (col / g.outWidth()) % g.outHeight();
        int n = col / (g.outWidth() * g.outHeight());
        int y = oy * g.stride() - g.padding() + i * g.dilation();
        int x = ox * g.stride() - g.padding() + j * g.dilation();
        if (y < 0 || y >= g.height() || x < 0 || x >= g.width()) {
            return -1;
        }
        return ((n * g.channels() + c) * g.height() + y) * g.width() + x;
    }

    /** One term of a convolution: output, weight and input element, as indices of their NCHW arrays. */
    @FunctionalInterface
    private interface ConvolutionTerm {
        void add(int y, int w, int x);
    }

    /**
     * Visits every product {@code w * x} that a convolution's output sums, straight from the definition (no column
     * matrix), so that the convolution ops are checked against something other than im2col.
     */
    private static void forEachTerm(ConvSpec s, ConvolutionTerm term) {
        ConvGeometry g = s.geometry();
        int groupIn = g.channels() / s.groups();
        int groupOut = s.groupOutChannels();
        for (int n = 0; n < g.batch(); n++) {
            for (int o = 0; o < s.outChannels(); o++) {
                for (int oy = 0; oy < g.outHeight(); oy++) {
                    for (int ox = 0; ox < g.outWidth(); ox++) {
                        int y = ((n * s.outChannels() + o) * g.outHeight() + oy) * g.outWidth() + ox;
                        for (int ci = 0; ci < groupIn; ci++) {
                            int c = o / groupOut * groupIn + ci;
                            for (int i = 0; i < g.kernelH(); i++) {
                                int iy = oy * g.stride() - g.padding() + i * g.dilation();
                                for (int j = 0; j < g.kernelW(); j++) {
                                    int ix = ox * g.stride() - g.padding() + j * g.dilation();
                                    if (iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width()) {
                                        int w = ((o * groupIn + ci) * g.kernelH() + i) * g.kernelW() + j;
                                        int x = ((n * g.channels() + c) * g.height() + iy) * g.width() + ix;
                                        term.add(y, w, x);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** The convolution's output, NCHW. */
    public static float[] convolution(ConvSpec s, float[] x, float[] w) {
        double[] y = new double[Math.toIntExact(s.outputSize())];
        forEachTerm(s, (yi, wi, xi) -> y[yi] += (double) w[wi] * x[xi]);
        return toFloat(y);
    }

    /** The gradient of the loss with respect to the convolution's weight, given the output's gradient. */
    public static float[] convolutionWeightGradient(ConvSpec s, float[] x, float[] dy) {
        double[] dw = new double[Math.toIntExact(s.weightSize())];
        forEachTerm(s, (yi, wi, xi) -> dw[wi] += (double) dy[yi] * x[xi]);
        return toFloat(dw);
    }

    /** The gradient of the loss with respect to the convolution's input, given the output's gradient. */
    public static float[] convolutionInputGradient(ConvSpec s, float[] w, float[] dy) {
        double[] dx = new double[Math.toIntExact(s.geometry().imageSize())];
        forEachTerm(s, (yi, wi, xi) -> dx[xi] += (double) dy[yi] * w[wi]);
        return toFloat(dx);
    }

    /** Index of value i of channel c of a batch-norm input: i runs over the batch, then the spatial positions. */
    private static int batchNormIndex(BatchNormSpec s, int c, int i) {
        int n = i / s.spatial();
        return (n * s.channels() + c) * s.spatial() + i % s.spatial();
    }

    /** Batch normalization in training: {y, per-channel mean, per-channel biased variance}. */
    public static float[][] batchNormForward(BatchNormSpec s, float epsilon, float[] x, float[] weight,
                                             float[] bias) {
        int count = Math.toIntExact(s.perChannel());
        float[] y = new float[x.length];
        float[] mean = new float[s.channels()];
        float[] variance = new float[s.channels()];
        for (int c = 0; c < s.channels(); c++) {
            double sum = 0;
            for (int i = 0; i < count; i++) {
                sum += x[batchNormIndex(s, c, i)];
            }
            double mu = sum / count;
            double squares = 0;
            for (int i = 0; i < count; i++) {
                double d = x[batchNormIndex(s, c, i)] - mu;
                squares += d * d;
            }
            double var = squares / count;
            double inv = 1 / Math.sqrt(var + epsilon);
            for (int i = 0; i < count; i++) {
                int at = batchNormIndex(s, c, i);
                y[at] = (float) ((x[at] - mu) * inv * weight[c] + bias[c]);
            }
            mean[c] = (float) mu;
            variance[c] = (float) var;
        }
        return new float[][] {y, mean, variance};
    }

    /** Batch normalization in evaluation: {@code (x - mean) / sqrt(variance + epsilon) * weight + bias}. */
    public static float[] batchNormInference(BatchNormSpec s, float epsilon, float[] x, float[] mean,
                                             float[] variance, float[] weight, float[] bias) {
        int count = Math.toIntExact(s.perChannel());
        float[] y = new float[x.length];
        for (int c = 0; c < s.channels(); c++) {
            double inv = 1 / Math.sqrt((double) variance[c] + epsilon);
            for (int i = 0; i < count; i++) {
                int at = batchNormIndex(s, c, i);
                y[at] = (float) ((x[at] - (double) mean[c]) * inv * weight[c] + bias[c]);
            }
        }
        return y;
    }

    /**
     * The gradients of batch normalization in training, given the forward pass's mean and {@code invStd}:
     * {sum of dy * xhat per channel, sum of dy per channel, dx}.
     */
    public static float[][] batchNormBackward(BatchNormSpec s, float[] x, float[] mean, float[] invStd,
                                              float[] weight, float[] dy) {
        int count = Math.toIntExact(s.perChannel());
        float[] dWeight = new float[s.channels()];
        float[] dBias = new float[s.channels()];
        float[] dx = new float[x.length];
        for (int c = 0; c < s.channels(); c++) {
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int i = 0; i < count; i++) {
                int at = batchNormIndex(s, c, i);
                sumDy += dy[at];
                sumDyXhat += (double) dy[at] * (x[at] - mean[c]) * invStd[c];
            }
            for (int i = 0; i < count; i++) {
                int at = batchNormIndex(s, c, i);
                double xhat = (x[at] - mean[c]) * (double) invStd[c];
                dx[at] = (float) ((double) weight[c] * invStd[c]
                        * (dy[at] - sumDy / count - xhat * sumDyXhat / count));
            }
            dWeight[c] = (float) sumDyXhat;
            dBias[c] = (float) sumDy;
        }
        return new float[][] {dWeight, dBias, dx};
    }

    /** The column matrix of an NCHW image batch, as {@link ConvGeometry} lays it out. */
    public static float[] im2col(ConvGeometry g, float[] image) {
        int cols = Math.toIntExact(g.columnCols());
        float[] columns = new float[g.columnRows() * cols];
        for (int row = 0; row < g.columnRows(); row++) {
            for (int col = 0; col < cols; col++) {
                int src = imageIndex(g, row, col);
                columns[row * cols + col] = src < 0 ? 0f : image[src];
            }
        }
        return columns;
    }

    /** Each image element is the sum of the column entries copied from it. */
    public static float[] col2im(ConvGeometry g, float[] columns) {
        int cols = Math.toIntExact(g.columnCols());
        double[] image = new double[Math.toIntExact(g.imageSize())];
        for (int row = 0; row < g.columnRows(); row++) {
            for (int col = 0; col < cols; col++) {
                int dst = imageIndex(g, row, col);
                if (dst >= 0) {
                    image[dst] += columns[row * cols + col];
                }
            }
        }
        return toFloat(image);
    }

    /** {@code dst[j][i][k] = src[i][j][k]} for an {@code (a, b, c)} source. */
    public static float[] swapLeadingAxes(int a, int b, int c, float[] src) {
        float[] dst = new float[a * b * c];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                for (int k = 0; k < c; k++) {
                    dst[(j * a + i) * c + k] = src[(i * b + j) * c + k];
                }
            }
        }
        return dst;
    }

    // ---- element-wise --------------------------------------------------------------------------------------

    public static float[] map(UnaryOp op, float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            y[i] = (float) switch (op) {
                case SQUARE -> v * v;
                case SQRT -> Math.sqrt(v);
                case RSQRT -> 1 / Math.sqrt(v);
                case EXP -> Math.exp(v);
                case LOG -> Math.log(v);
                case NEG -> -v;
                case ABS -> Math.abs(v);
                case RECIPROCAL -> 1 / v;
            };
        }
        return y;
    }

    public static float[] affine(float scale, float[] x, float shift) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) ((double) scale * x[i] + shift);
        }
        return y;
    }

    /** {@code out[i] = op(a[i], b[(i / bInner) % b.length])}. */
    public static float[] zip(BinaryOp op, float[] a, float[] b, int bInner) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            double x = a[i];
            double y = b[(i / bInner) % b.length];
            out[i] = (float) switch (op) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> x / y;
                case EQUAL -> x == y ? 1 : 0;
            };
        }
        return out;
    }

    /** {@code alpha * x + beta * y}, with y ignored when beta is 0. */
    public static float[] axpby(float alpha, float[] x, float beta, float[] y) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double old = beta == 0f ? 0 : (double) beta * y[i];
            out[i] = (float) ((double) alpha * x[i] + old);
        }
        return out;
    }

    // ---- reductions ----------------------------------------------------------------------------------------

    /** Sum over the middle axis of {@code (outer, length, inner)}, scaled by alpha, plus beta times the old out. */
    public static float[] sum(float[] x, int outer, int length, int inner, float alpha, float beta, float[] out) {
        float[] result = new float[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double acc = 0;
                for (int l = 0; l < length; l++) {
                    acc += x[(o * length + l) * inner + i];
                }
                double old = beta == 0f ? 0 : (double) beta * out[o * inner + i];
                result[o * inner + i] = (float) (alpha * acc + old);
            }
        }
        return result;
    }

    /** The column of the first maximum of each row, as a float. */
    public static float[] argmax(float[] x, int rows, int cols) {
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < cols; c++) {
                if (x[r * cols + c] > x[r * cols + best]) {
                    best = c;
                }
            }
            out[r] = best;
        }
        return out;
    }

    // ---- fused softmax cross-entropy -------------------------------------------------------------------------

    /** Row-wise softmax probabilities and per-row losses of a softmax cross-entropy forward pass. */
    public record SoftmaxCrossEntropy(float[] probs, float[] rowLoss) {
    }

    /** Softmax of each row of an (N, C) matrix and {@code -log softmax[label]}, via the row maximum. */
    public static SoftmaxCrossEntropy softmaxCrossEntropyForward(float[] logits, float[] labels, int classes) {
        return softmaxCrossEntropyForward(logits, labels, 0f, classes);
    }

    /**
     * With label smoothing {@code eps}, each row's loss is the cross-entropy against the target {@code (1 - eps)}
     * on the label plus {@code eps / C} on every class: {@code -(1 - eps) log p[label] - eps/C sum_c log p[c]}.
     */
    public static SoftmaxCrossEntropy softmaxCrossEntropyForward(float[] logits, float[] labels, float smoothing,
                                                                 int classes) {
        int rows = labels.length;
        float[] probs = new float[rows * classes];
        float[] rowLoss = new float[rows];
        for (int n = 0; n < rows; n++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[n * classes + c]);
            }
            double total = 0;
            for (int c = 0; c < classes; c++) {
                total += Math.exp(logits[n * classes + c] - max);
            }
            for (int c = 0; c < classes; c++) {
                probs[n * classes + c] = (float) (Math.exp(logits[n * classes + c] - max) / total);
            }
            double logSumExp = Math.log(total) + max;
            double loss = 0;
            for (int c = 0; c < classes; c++) {
                double target = (c == (int) labels[n] ? 1 - smoothing : 0) + (double) smoothing / classes;
                loss += target * (logSumExp - logits[n * classes + c]);
            }
            rowLoss[n] = (float) loss;
        }
        return new SoftmaxCrossEntropy(probs, rowLoss);
    }

    /** {@code scale * (probs - onehot(label))}. */
    public static float[] softmaxCrossEntropyBackward(float[] probs, float[] labels, float scale, int classes) {
        return softmaxCrossEntropyBackward(probs, labels, 0f, scale, classes);
    }

    /** {@code scale * (probs - target)}, the target as {@link #softmaxCrossEntropyForward} smooths it. */
    public static float[] softmaxCrossEntropyBackward(float[] probs, float[] labels, float smoothing, float scale,
                                                      int classes) {
        float[] d = new float[probs.length];
        for (int n = 0; n < labels.length; n++) {
            for (int c = 0; c < classes; c++) {
                double target = (c == (int) labels[n] ? 1 - smoothing : 0) + (double) smoothing / classes;
                d[n * classes + c] = (float) (scale * (probs[n * classes + c] - target));
            }
        }
        return d;
    }

    // ---- pooling -------------------------------------------------------------------------------------------

    /** Max (over positions inside the image) or average (padding counted as zeros) of each window. */
    public static float[] poolForward(PoolSpec s, float[] x) {
        float[] y = new float[Math.toIntExact(s.outputSize())];
        int planes = s.batch() * s.channels();
        for (int plane = 0; plane < planes; plane++) {
            for (int oy = 0; oy < s.outHeight(); oy++) {
                for (int ox = 0; ox < s.outWidth(); ox++) {
                    double max = Double.NEGATIVE_INFINITY;
                    double total = 0;
                    for (int ky = 0; ky < s.kernel(); ky++) {
                        for (int kx = 0; kx < s.kernel(); kx++) {
                            int at = inputIndex(s, plane, oy, ox, ky, kx);
                            if (at >= 0) {
                                max = Math.max(max, x[at]);
                                total += x[at];
                            }
                        }
                    }
                    int out = (plane * s.outHeight() + oy) * s.outWidth() + ox;
                    y[out] = (float) (s.kind() == PoolSpec.Kind.MAX ? max : total / (s.kernel() * s.kernel()));
                }
            }
        }
        return y;
    }

    /** Max pooling sends each gradient to its window's first maximum (row-major); average spreads it evenly. */
    public static float[] poolBackward(PoolSpec s, float[] x, float[] dy) {
        double[] dx = new double[x.length];
        int planes = s.batch() * s.channels();
        double share = 1.0 / (s.kernel() * s.kernel());
        for (int plane = 0; plane < planes; plane++) {
            for (int oy = 0; oy < s.outHeight(); oy++) {
                for (int ox = 0; ox < s.outWidth(); ox++) {
                    double g = dy[(plane * s.outHeight() + oy) * s.outWidth() + ox];
                    int argmax = -1;
                    for (int ky = 0; ky < s.kernel(); ky++) {
                        for (int kx = 0; kx < s.kernel(); kx++) {
                            int at = inputIndex(s, plane, oy, ox, ky, kx);
                            if (at < 0) {
                                continue;
                            }
                            if (s.kind() == PoolSpec.Kind.AVG) {
                                dx[at] += g * share;
                            } else if (argmax < 0 || x[at] > x[argmax]) {
                                argmax = at;
                            }
                        }
                    }
                    if (s.kind() == PoolSpec.Kind.MAX) {
                        dx[argmax] += g;
                    }
                }
            }
        }
        return toFloat(dx);
    }

    /** The input index under window position (ky, kx) of output (oy, ox) in one plane, or -1 in the padding. */
    private static int inputIndex(PoolSpec s, int plane, int oy, int ox, int ky, int kx) {
        int y = oy * s.stride() - s.padding() + ky;
        int x = ox * s.stride() - s.padding() + kx;
        if (y < 0 || y >= s.height() || x < 0 || x >= s.width()) {
            return -1;
        }
        return (plane * s.height() + y) * s.width() + x;
    }

    // ---- activations and dropout -------------------------------------------------------------------------

    public static float[] activationForward(Activation f, float alpha, float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            y[i] = (float) switch (f) {
                case RELU -> v > 0 ? v : 0;
                case LEAKY_RELU -> v > 0 ? v : alpha * v;
                case SIGMOID -> 1 / (1 + Math.exp(-v));
                case TANH -> Math.tanh(v);
                case GELU -> v * normalCdf(v);
                case SILU -> v / (1 + Math.exp(-v));
            };
        }
        return y;
    }

    /** {@code f'(x) * dy}: RELU, LEAKY_RELU, GELU and SILU read x, SIGMOID and TANH read y; the other may be null. */
    public static float[] activationBackward(Activation f, float alpha, float[] x, float[] y, float[] dy) {
        float[] dx = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = x == null ? Double.NaN : x[i];
            double slope = switch (f) {
                case RELU -> v > 0 ? 1 : 0;
                case LEAKY_RELU -> v > 0 ? 1 : alpha;
                case SIGMOID -> y[i] * (1 - (double) y[i]);
                case TANH -> 1 - (double) y[i] * y[i];
                case GELU -> normalCdf(v) + v * Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI);
                case SILU -> {
                    double s = 1 / (1 + Math.exp(-v));
                    yield s * (1 + v * (1 - s));
                }
            };
            dx[i] = (float) (slope * dy[i]);
        }
        return dx;
    }

    /** The standard normal distribution function, {@code erfc(-x / sqrt(2)) / 2}. */
    static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    /**
     * The complementary error function to about 1e-15 relative, from its definitions rather than a fit: the
     * Maclaurin series of erf below 1.5, Laplace's continued fraction of erfc from there on.
     */
    static double erfc(double z) {
        if (Double.isNaN(z)) {
            return z;
        }
        if (z < 0) {
            return 2 - erfc(-z);
        }
        if (z < 1.5) {
            // erf(z) = 2/sqrt(pi) * sum over n of (-1)^n z^(2n+1) / (n! (2n+1))
            double power = z;
            double sum = z;
            for (int n = 1; n < 200; n++) {
                power *= -z * z / n;
                double term = power / (2 * n + 1);
                sum += term;
                if (Math.abs(term) < 1e-17 * sum) {
                    break;
                }
            }
            return 1 - 2 / Math.sqrt(Math.PI) * sum;
        }
        // erfc(z) = e^(-z^2) / sqrt(pi) / (z + (1/2) / (z + 1 / (z + (3/2) / (z + 2 / (z + ...))))), from the tail
        double fraction = z;
        for (int k = 100; k >= 1; k--) {
            fraction = z + k / 2.0 / fraction;
        }
        return Math.exp(-z * z) / Math.sqrt(Math.PI) / fraction;
    }

    /** Whether element {@code i} survives dropout: {@code Philox.uniform(seed, stream, i) >= p}. */
    public static boolean keeps(DropoutSpec spec, long i) {
        return Philox.uniform(spec.seed(), spec.stream(), i) >= spec.p();
    }

    /** Kept elements divided by {@code 1 - p}, dropped ones 0; serves forward (x) and backward (dy) alike. */
    public static float[] dropout(DropoutSpec spec, float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = keeps(spec, i) ? (float) (x[i] / (1.0 - spec.p())) : 0f;
        }
        return y;
    }

    // ---- fused optimizer updates -----------------------------------------------------------------------------

    /** Parameters and optimizer state after one update; a state array is null when the update keeps none. */
    public record Updated(float[] param, float[] first, float[] second) {
    }

    /** One SGD step; with momentum 0 the velocity is ignored and may be null (then so is {@code first}). */
    public static Updated sgdUpdate(SgdStep s, float[] param, float[] grad, float[] velocity) {
        float[] p = new float[param.length];
        float[] v = s.momentum() == 0f ? null : new float[param.length];
        for (int i = 0; i < param.length; i++) {
            double g = grad[i] + (double) s.weightDecay() * param[i];
            if (v != null) {
                double vi = (double) s.momentum() * velocity[i] + g;
                v[i] = (float) vi;
                g = s.nesterov() ? g + s.momentum() * vi : vi;
            }
            p[i] = (float) (param[i] - s.lr() * g);
        }
        return new Updated(p, v, null);
    }

    /** One Adam (L2 penalty in the gradient) or AdamW (decoupled decay) step with bias correction. */
    public static Updated adamUpdate(AdamStep s, float[] param, float[] grad, float[] m, float[] v) {
        double correction1 = 1 - Math.pow(s.beta1(), s.step());
        double correction2 = 1 - Math.pow(s.beta2(), s.step());
        float[] p = new float[param.length];
        float[] m1 = new float[param.length];
        float[] v1 = new float[param.length];
        for (int i = 0; i < param.length; i++) {
            double pi = param[i];
            double g = grad[i];
            if (s.decoupled()) {
                pi *= 1 - (double) s.lr() * s.weightDecay();
            } else {
                g += (double) s.weightDecay() * pi;
            }
            double mi = s.beta1() * (double) m[i] + (1 - (double) s.beta1()) * g;
            double vi = s.beta2() * (double) v[i] + (1 - (double) s.beta2()) * g * g;
            m1[i] = (float) mi;
            v1[i] = (float) vi;
            p[i] = (float) (pi - s.lr() * (mi / correction1) / (Math.sqrt(vi / correction2) + s.eps()));
        }
        return new Updated(p, m1, v1);
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
