/*
 * Fused optimizer updates with PyTorch's semantics, one work-item per parameter, each zeroing the gradient it
 * read for the next step's gradients to add into. The host computes the bias corrections of Adam, so the kernels
 * need no pow().
 */

/*
 * SGD (dampening 0): g = grad + wd*p; v = momentum*v + g; g = nesterov ? g + momentum*v : v; p -= lr*g.
 * With useMomentum 0 the velocity is neither read nor written (the host may pass any buffer for it).
 */
__kernel void sgd_update(const int n, const float lr, const float momentum, const float weightDecay,
                         const int useMomentum, const int nesterov,
                         __global float* param, const int pOff, __global float* grad, const int gOff,
                         __global float* velocity, const int vOff) {
    const int i = (int) get_global_id(0);
    if (i >= n) {
        return;
    }
    const float p = param[pOff + i];
    float g = grad[gOff + i] + weightDecay * p;
    grad[gOff + i] = 0.0f;
    if (useMomentum) {
        const float v = momentum * velocity[vOff + i] + g;
        velocity[vOff + i] = v;
        g = nesterov ? g + momentum * v : v;
    }
    param[pOff + i] = p - lr * g;
}

/*
 * Adam / AdamW: Adam adds wd*p to the gradient; AdamW (decoupled) multiplies p by 1 - lr*wd instead. Then
 * m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g; p -= lr * (m/bc1) / (sqrt(v/bc2) + eps).
 */
__kernel void adam_update(const int n, const float lr, const float beta1, const float beta2, const float eps,
                          const float weightDecay, const int decoupled, const float biasCorrection1,
                          const float biasCorrection2,
                          __global float* param, const int pOff, __global float* grad, const int gOff,
                          __global float* m, const int mOff, __global float* v, const int vOff) {
    const int i = (int) get_global_id(0);
    if (i >= n) {
        return;
    }
    float p = param[pOff + i];
    float g = grad[gOff + i];
    grad[gOff + i] = 0.0f;
    if (decoupled) {
        p = p * (1.0f - lr * weightDecay);
    } else {
        g = g + weightDecay * p;
    }
    const float mi = beta1 * m[mOff + i] + (1.0f - beta1) * g;
    const float vi = beta2 * v[vOff + i] + (1.0f - beta2) * g * g;
    m[mOff + i] = mi;
    v[vOff + i] = vi;
    param[pOff + i] = p - lr * (mi / biasCorrection1) / (sqrt(vi / biasCorrection2) + eps);
}
