package dev.cortado.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatLoops} on the Vector API: whole vectors, then single floats. Lane-wise operations round as the scalar
 * ones do, so both versions give the same bits.
 *
 * <p>{@link FloatLoops#fastest} refers to this class only when the {@code jdk.incubator.vector} module is present,
 * so that a JVM without it never loads a Vector API class.
 */
final class VectorLoops implements FloatLoops {
    /**
     * The preferred shape, as the GEMM kernel uses: a second shape in the same JVM leaves the receiver type of
     * FloatVector's shared methods (intoArray) open, and C2 then declines the intrinsic and boxes every vector.
     */
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private VectorLoops() {
    }

    /** The loops, or null where vectors hold fewer than eight floats (too few to repay the Vector API). */
    static FloatLoops createIfUseful() {
        return LANES >= 8 ? new VectorLoops() : null;
    }

    @Override
    public String describe() {
        return "Vector API (" + SPECIES.vectorBitSize() + "-bit)";
    }

    @Override
    public void reluForward(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xo + i).lanewise(VectorOperators.MAX, 0f).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = Math.max(x[xo + i], 0f);
        }
    }

    @Override
    public void reluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            VectorMask<Float> positive = FloatVector.fromArray(SPECIES, x, xo + i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(SPECIES, dy, dyo + i), positive).intoArray(dx, dxo + i);
        }
        for (; i < n; i++) {
            dx[dxo + i] = x[xo + i] > 0f ? dy[dyo + i] : 0f;
        }
    }

    @Override
    public void addScalar(float[] a, int ao, float b, float[] out, int oo, int n) {
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FloatVector.fromArray(SPECIES, a, ao + i).add(b).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] + b;
        }
    }

    @Override
    public void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FloatVector.fromArray(SPECIES, a, ao + i).add(FloatVector.fromArray(SPECIES, b, bo + i))
                    .intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] + b[bo + i];
        }
    }

    @Override
    public void sgdMomentum(float[] p, int po, float[] g, int go, float[] v, int vo, int n, float lr, float mu,
                            float wd, boolean nesterov) {
        int i = 0;
        if (nesterov) {
            for (; i <= n - LANES; i += LANES) {
                FloatVector param = FloatVector.fromArray(SPECIES, p, po + i);
                FloatVector grad = FloatVector.fromArray(SPECIES, g, go + i).add(param.mul(wd));
                FloatVector vel = FloatVector.fromArray(SPECIES, v, vo + i).mul(mu).add(grad);
                vel.intoArray(v, vo + i);
                param.sub(grad.add(vel.mul(mu)).mul(lr)).intoArray(p, po + i);
            }
        } else {
            for (; i <= n - LANES; i += LANES) {
                FloatVector param = FloatVector.fromArray(SPECIES, p, po + i);
                FloatVector grad = FloatVector.fromArray(SPECIES, g, go + i).add(param.mul(wd));
                FloatVector vel = FloatVector.fromArray(SPECIES, v, vo + i).mul(mu).add(grad);
                vel.intoArray(v, vo + i);
                param.sub(vel.mul(lr)).intoArray(p, po + i);
            }
        }
        for (; i < n; i++) {
            float grad = g[go + i] + wd * p[po + i];
            float vel = mu * v[vo + i] + grad;
            v[vo + i] = vel;
            p[po + i] -= lr * (nesterov ? grad + mu * vel : vel);
        }
    }
}
