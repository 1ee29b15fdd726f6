package dev.cortado.cpu;

/**
 * Fused softmax cross-entropy with label smoothing, parallel over rows. The forward pass subtracts each row's
 * maximum before exponentiating and takes the loss as a log-sum-exp, so large logits neither overflow nor lose the
 * loss. Smoothing {@code eps} adds {@code eps} times the mean over the classes of {@code -log p} and takes
 * {@code eps} of the label's; with eps = 0 nothing of it is computed, so the plain loss stays as it was.
 */
final class SoftmaxCrossEntropyOps {
    private SoftmaxCrossEntropyOps() {
    }

    static void forward(float[] logits, int xo, float[] labels, int lo, int rows, int classes, float smoothing,
                        float[] probs, int po, float[] rowLoss, int ro) {
        int grain = Math.max(1, ElementwiseOps.TRANSCENDENTAL_GRAIN / classes);
        Parallel.forRange(rows, grain, (from, to) -> {
            for (int r = from; r < to; r++) {
                int x = xo + r * classes;
                int p = po + r * classes;
                float max = logits[x];
                for (int c = 1; c < classes; c++) {
                    max = Math.max(max, logits[x + c]);
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    float e = (float) Math.exp(logits[x + c] - max);
                    probs[p + c] = e;
                    sum += e;
                }
                float inverse = (float) (1 / sum);
                for (int c = 0; c < classes; c++) {
                    probs[p + c] *= inverse;
                }
                int label = (int) labels[lo + r];
                double logSum = Math.log(sum);
                double loss = logSum - (logits[x + label] - max);
                if (smoothing != 0f) {
                    // -log p[c] = logSum - (logits[c] - max); the mean over c of it, against the label's.
                    double shifted = 0;
                    for (int c = 0; c < classes; c++) {
                        shifted += logits[x + c] - max;
                    }
                    loss += smoothing * (logSum - shifted / classes - loss);
                }
                rowLoss[ro + r] = (float) loss;
            }
        });
    }

    static void backward(float[] probs, int po, float[] labels, int lo, int rows, int classes, float smoothing,
                         float scale, float[] dLogits, int dOff) {
        int grain = Math.max(1, ElementwiseOps.GRAIN / classes);
        float spread = smoothing / classes;
        float atTarget = 1f - smoothing + spread;
        Parallel.forRange(rows, grain, (from, to) -> {
            for (int r = from; r < to; r++) {
                int p = po + r * classes;
                int d = dOff + r * classes;
                int label = (int) labels[lo + r];
                float atLabel = probs[p + label]; // read before the loop: dLogits may be probs
                for (int c = 0; c < classes; c++) {
                    dLogits[d + c] = scale * (probs[p + c] - spread);
                }
                dLogits[d + label] = scale * (atLabel - atTarget);
            }
        });
    }
}
