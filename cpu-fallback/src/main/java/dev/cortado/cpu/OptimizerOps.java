package dev.cortado.cpu;

import dev.cortado.backend.AdamStep;
import dev.cortado.backend.SgdStep;

/**
 * Fused optimizer updates: one pass over the parameter, its gradient (left zero) and its state, one loop per
 * variant.
 */
final class OptimizerOps {
    /** Floats per task: an update reads and writes several arrays per element. */
    private static final int GRAIN = 1 << 14;

    private OptimizerOps() {
    }

    /** SGD as {@link SgdStep} defines it; the velocity is untouched (and may be null) when momentum is 0. */
    static void sgd(SgdStep s, float[] p, int po, float[] g, int go, float[] v, int vo, int n) {
        float lr = s.lr();
        float mu = s.momentum();
        float wd = s.weightDecay();
        Parallel.forRange(n, GRAIN, (from, to) -> {
            if (mu == 0f) {
                for (int i = from; i < to; i++) {
                    float grad = g[go + i] + wd * p[po + i];
                    g[go + i] = 0f;
                    p[po + i] -= lr * grad;
                }
            } else {
                FloatLoops.IN_USE.sgdMomentum(p, po + from, g, go + from, v, vo + from, to - from, lr, mu, wd,
                        s.nesterov());
            }
        });
    }

    /** Adam or AdamW as {@link AdamStep} defines it. */
    static void adam(AdamStep s, float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, int n) {
        float lr = s.lr();
        float b1 = s.beta1();
        float b2 = s.beta2();
        float eps = s.eps();
        float bc1 = s.biasCorrection1();
        float bc2 = s.biasCorrection2();
        float decay = s.decoupled() ? 1f - lr * s.weightDecay() : 1f;
        float coupledDecay = s.decoupled() ? 0f : s.weightDecay();
        Parallel.forRange(n, GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                float param = p[po + i] * decay;
                float grad = g[go + i] + coupledDecay * p[po + i];
                g[go + i] = 0f;
                float mean = b1 * m[mo + i] + (1f - b1) * grad;
                float var = b2 * v[vo + i] + (1f - b2) * grad * grad;
                m[mo + i] = mean;
                v[vo + i] = var;
                p[po + i] = param - lr * (mean / bc1) / ((float) Math.sqrt(var / bc2) + eps);
            }
        });
    }
}
