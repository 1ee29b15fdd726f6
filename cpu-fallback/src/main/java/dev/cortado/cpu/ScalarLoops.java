package dev.cortado.cpu;

/** {@link FloatLoops} as plain loops, for JVMs without the Vector API. */
final class ScalarLoops implements FloatLoops {

    @Override
    public String describe() {
        return "scalar";
    }

    @Override
    public void reluForward(float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] = Math.max(x[xo + i], 0f);
        }
    }

    @Override
    public void reluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        for (int i = 0; i < n; i++) {
            int mask = ActivationOps.positive(x[xo + i]);
            dx[dxo + i] = Float.intBitsToFloat(mask & Float.floatToRawIntBits(dy[dyo + i]));
        }
    }

    @Override
    public void addScalar(float[] a, int ao, float b, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = a[ao + i] + b;
        }
    }

    @Override
    public void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = a[ao + i] + b[bo + i];
        }
    }

    @Override
    public void sgdMomentum(float[] p, int po, float[] g, int go, float[] v, int vo, int n, float lr, float mu,
                            float wd, boolean nesterov) {
        for (int i = 0; i < n; i++) {
            float grad = g[go + i] + wd * p[po + i];
            float vel = mu * v[vo + i] + grad;
            v[vo + i] = vel;
            p[po + i] -= lr * (nesterov ? grad + mu * vel : vel);
        }
    }

    @Override
    public void maxPoolForward(float[] x, int in, int h, int w, float[] y, int out) {
        PoolingOps.maxForwardTwoByTwo(x, in, h, w, y, out);
    }

    @Override
    public void maxPoolBackward(float[] x, int in, int h, int w, float[] dy, int out, float[] dx, int din) {
        PoolingOps.maxBackwardTwoByTwo(x, in, h, w, dy, out, dx, din);
    }

    @Override
    public void foldRow(float[] columns, int first, int jStride, int kw, int outW, int padding, float[] image,
                        int row, int w, int room) {
        for (int j = 0; j < kw; j++) {
            ConvolutionOps.addShifted(columns, first + j * jStride, outW, j - padding, image, row, w);
        }
    }

    @Override
    public void copyRun(float[] src, int so, float[] dst, int dOff, int n, int room) {
        System.arraycopy(src, so, dst, dOff, n);
    }
}
