/*
 * Fused softmax cross-entropy over (N, C) logits with labels given as class indices stored in floats, with label
 * smoothing eps as PyTorch defines it (the target is 1 - eps on the label plus eps/C on every class).
 * One work-item per row. A label outside [0, C) gives a NaN row loss and a NaN gradient row, so a bad label
 * cannot pass unnoticed.
 */

/*
 * probs = softmax(logits) per row; rowLoss[n] = (1 - eps) * -log p[n][label[n]] + eps * mean over c of -log p[n][c],
 * computed stably; with eps = 0 the smoothing term is not computed at all.
 */
__kernel void softmax_xent_forward(const int rows, const int cols, const float smoothing,
                                   const __global float* logits, const int lOff,
                                   const __global float* labels, const int labOff, __global float* probs,
                                   const int pOff, __global float* rowLoss, const int rlOff) {
    const int r = (int) get_global_id(0);
    if (r >= rows) {
        return;
    }
    const __global float* in = logits + lOff + r * cols;
    __global float* p = probs + pOff + r * cols;
    float top = in[0];
    for (int c = 1; c < cols; c++) {
        top = fmax(top, in[c]);
    }
    float total = 0.0f;
    for (int c = 0; c < cols; c++) {
        const float e = exp(in[c] - top);
        p[c] = e;
        total += e;
    }
    const float inverse = 1.0f / total;
    for (int c = 0; c < cols; c++) {
        p[c] = p[c] * inverse;
    }
    const float labelValue = labels[labOff + r];
    const int label = (int) labelValue;
    float loss = NAN;
    if (labelValue >= 0.0f && label < cols && (float) label == labelValue) {
        const float logTotal = log(total);
        loss = logTotal - (in[label] - top);
        if (smoothing != 0.0f) {
            float shifted = 0.0f;
            for (int c = 0; c < cols; c++) {
                shifted += in[c] - top;
            }
            loss += smoothing * (logTotal - shifted / (float) cols - loss);
        }
    }
    rowLoss[rlOff + r] = loss;
}

/*
 * dLogits[n][c] = scale * (probs[n][c] - target[n][c]), target[n][c] = (c == label[n] ? 1 - eps : 0) + eps/C;
 * one work-item per element.
 */
__kernel void softmax_xent_backward(const int rows, const int cols, const float smoothing,
                                    const __global float* probs, const int pOff,
                                    const __global float* labels, const int labOff, const float scale,
                                    __global float* dLogits, const int dOff) {
    const int idx = (int) get_global_id(0);
    if (idx >= rows * cols) {
        return;
    }
    const int r = idx / cols;
    const int c = idx % cols;
    const float labelValue = labels[labOff + r];
    const int label = (int) labelValue;
    float g = NAN;
    if (labelValue >= 0.0f && label < cols && (float) label == labelValue) {
        const float spread = smoothing / (float) cols;
        g = scale * (probs[pOff + idx] - (c == label ? 1.0f - smoothing + spread : spread));
    }
    dLogits[dOff + idx] = g;
}
