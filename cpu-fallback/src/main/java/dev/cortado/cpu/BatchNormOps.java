package dev.cortado.cpu;

import dev.cortado.backend.BatchNormSpec;

/**
 * Batch normalization for inputs whose spatial planes are long enough to loop over ({@link #fits}): each image's
 * plane of a channel is a contiguous run. The sums are taken a channel at a time, channels shared between the
 * threads, so that the second pass over a channel's planes finds them in cache; each output is then written in one
 * fused pass in memory order, plane after plane ({@link FloatLoops#affine}, {@link FloatLoops#affineSum}), which
 * measured 1.2 to 2 times faster than a channel at a time, whose planes lie a whole image apart. The forward pass
 * reads x three times and writes y once (once and once in evaluation, with given statistics); the backward pass
 * reads x and dy twice and writes dx once, where the backend's default composition of reductions and element-wise
 * ops makes about a dozen passes over the whole batch.
 *
 * <p>Element-wise steps and sums are {@link FloatLoops}: a group of planes is summed in float lanes, groups in
 * double, in a fixed order, so results are the same on every run. A group is one plane, or as many consecutive
 * images' small planes as make up {@value #GROUP_FLOATS} floats, so that adding the lanes across (as costly as
 * summing a few dozen floats) is paid once a group, not once a plane of 7 x 7.
 */
final class BatchNormOps {
    /** Planes shorter than this go to the default composition: a call per few floats would cost more. */
    private static final int MIN_SPATIAL = 16;
    /** Floats of a group of small planes summed in float lanes before their sum is added in double. */
    private static final int GROUP_FLOATS = 1024;

    private BatchNormOps() {
    }

    /** Whether these ops serve the spec (planes of {@value #MIN_SPATIAL} floats or more). */
    static boolean fits(BatchNormSpec spec) {
        return spec.spatial() >= MIN_SPATIAL;
    }

    /** {@link dev.cortado.backend.Backend#batchNormForward}, and with {@code relu} its ReLU variant. */
    static void forward(BatchNormSpec spec, float epsilon, boolean relu, float[] x, int xo, float[] weight, int wo,
                        float[] bias, int bo, float[] y, int yo, float[] mean, int mo, float[] variance, int vo) {
        FloatLoops loops = FloatLoops.IN_USE;
        int s = spec.spatial();
        double count = spec.perChannel();
        int group = planesPerGroup(spec);
        int imageStride = spec.channels() * s;
        Parallel.forRange(spec.channels(), 1, (from, to) -> {
            for (int c = from; c < to; c++) {
                double sum = 0;
                for (int n = 0; n < spec.batch(); n += group) {
                    sum += loops.sumOfRuns(x, xo + start(spec, n, c), s, runs(spec, n, group), imageStride);
                }
                float mu = (float) (sum / count);
                double squares = 0;
                for (int n = 0; n < spec.batch(); n += group) {
                    int at = xo + start(spec, n, c);
                    squares += loops.sumOfProductsOfRuns(x, at, mu, x, at, mu, s, runs(spec, n, group), imageStride);
                }
                mean[mo + c] = mu;
                variance[vo + c] = (float) (squares / count);
            }
        });
        inference(spec, epsilon, relu, x, xo, mean, mo, variance, vo, weight, wo, bias, bo, y, yo);
    }

    /**
     * {@link dev.cortado.backend.Backend#batchNormInference}: one pass over x in memory order, plane by plane; also
     * the forward pass's output, from the batch's statistics. With {@code relu}, each output is also clamped at 0
     * in that pass ({@link dev.cortado.backend.Backend#batchNormReluInference}).
     */
    static void inference(BatchNormSpec spec, float epsilon, boolean relu, float[] x, int xo, float[] mean, int mo,
                          float[] variance, int vo, float[] weight, int wo, float[] bias, int bo, float[] y, int yo) {
        FloatLoops loops = FloatLoops.IN_USE;
        int s = spec.spatial();
        int channels = spec.channels();
        Parallel.forRange(spec.batch() * channels, Math.max(1, ElementwiseOps.GRAIN / s), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int c = plane % channels;
                float scale = weight[wo + c] / (float) Math.sqrt(variance[vo + c] + epsilon);
                if (relu) {
                    loops.affineRelu(x, xo + plane * s, mean[mo + c], scale, bias[bo + c], y, yo + plane * s, s);
                } else {
                    loops.affine(x, xo + plane * s, mean[mo + c], scale, bias[bo + c], y, yo + plane * s, s);
                }
            }
        });
    }

    /** {@link dev.cortado.backend.Backend#batchNormBackward}; dx null for no input gradient. */
    static void backward(BatchNormSpec spec, float[] x, int xo, float[] mean, int mo, float[] invStd, int io,
                         float[] weight, int wo, float[] dy, int dyo, float[] dWeight, int dwo, float[] dBias,
                         int dbo, float[] dx, int dxo) {
        FloatLoops loops = FloatLoops.IN_USE;
        int s = spec.spatial();
        double count = spec.perChannel();
        int group = planesPerGroup(spec);
        int imageStride = spec.channels() * s;
        // per channel: the slope of x - mu, the scale of dy and the offset of dx's pass below
        float[] terms = dx == null ? null : new float[3 * spec.channels()];
        Parallel.forRange(spec.channels(), 1, (from, to) -> {
            for (int c = from; c < to; c++) {
                float mu = mean[mo + c];
                float inv = invStd[io + c];
                double sumDy = 0;
                double sumDyDeviation = 0;
                for (int n = 0; n < spec.batch(); n += group) {
                    int at = start(spec, n, c);
                    int runs = runs(spec, n, group);
                    sumDy += loops.sumOfRuns(dy, dyo + at, s, runs, imageStride);
                    sumDyDeviation += loops.sumOfProductsOfRuns(dy, dyo + at, 0f, x, xo + at, mu, s, runs, imageStride);
                }
                float sumDyXhat = (float) (sumDyDeviation * inv);
                dBias[dbo + c] += (float) sumDy;
                dWeight[dwo + c] += sumDyXhat;
                if (dx == null) {
                    continue;
                }
                // dx = k * (dy - mean(dy) - (x - mu) * slope), k = weight * invStd, slope = invStd * mean(dy * xhat),
                // as one pass: (x - mu) * (-k * slope) + dy * k - k * mean(dy)
                float k = weight[wo + c] * inv;
                float meanDy = (float) (sumDy / count);
                float slope = (float) (inv * sumDyXhat / count);
                terms[3 * c] = -k * slope;
                terms[3 * c + 1] = k;
                terms[3 * c + 2] = -k * meanDy;
            }
        });
        if (dx == null) {
            return;
        }
        int channels = spec.channels();
        Parallel.forRange(spec.batch() * channels, Math.max(1, ElementwiseOps.GRAIN / s), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int c = plane % channels;
                int at = plane * s;
                loops.affineSum(x, xo + at, mean[mo + c], terms[3 * c], dy, dyo + at, terms[3 * c + 1],
                        terms[3 * c + 2], dx, dxo + at, s);
            }
        });
    }

    /** How many images' planes of a channel are summed in one group: see the class comment. */
    private static int planesPerGroup(BatchNormSpec spec) {
        return Math.max(1, GROUP_FLOATS / spec.spatial());
    }

    /** The planes in the group that starts at image n: {@code group}, or fewer at the end of the batch. */
    private static int runs(BatchNormSpec spec, int n, int group) {
        return Math.min(group, spec.batch() - n);
    }

    /** Index of the first value of image n, channel c. */
    private static int start(BatchNormSpec spec, int n, int c) {
        return (n * spec.channels() + c) * spec.spatial();
    }
}
