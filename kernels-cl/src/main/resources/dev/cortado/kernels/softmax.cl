/*
 * Fused softmax cross-entropy over (N, C) logits with labels given as class indices stored in floats.
 * One work-item per row. A label outside [0, C) gives a NaN row loss and a NaN gradient row, so a bad label
 * cannot pass unnoticed.
 */

/* probs = softmax(logits) per row; rowLoss[n] = -log softmax(logits)[n][label[n]], computed stably. */
__kernel void softmax_xent_forward(const int rows, const int cols, const __global float* logits, const int lOff,
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
        loss = log(total) - (in[label] - top);
    }
    rowLoss[rlOff + r] = loss;
}

/* dLogits[n][c] = scale * (probs[n][c] - (c == label[n] ? 1 : 0)); one work-item per element. */
__kernel void softmax_xent_backward(const int rows, const int cols, const __global float* probs, const int pOff,
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
        g = scale * (probs[pOff + idx] - (c == label ? 1.0f : 0.0f));
    }
    dLogits[dOff + idx] = g;
}
