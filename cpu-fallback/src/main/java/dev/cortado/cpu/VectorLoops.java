package dev.cortado.cpu;

import dev.cortado.backend.BinaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatLoops} on the Vector API: whole vectors, then single floats ({@link ScalarLoops}' loops finish the
 * vector loops, and run what they leave). Lane-wise operations round as the scalar ones do, so both versions give
 * the same bits.
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

    /** The odd lanes: a window's right column. */
    private static final VectorMask<Float> ODD = VectorMask.fromLong(SPECIES, 0xaaaa_aaaa_aaaa_aaaaL);
    /** Lane indices 0, 1, 2, ... as floats, to build masks of lane ranges by comparison. */
    private static final FloatVector IOTA = FloatVector.zero(SPECIES).addIndex(1);
    private static final FloatVector ZERO = FloatVector.zero(SPECIES);

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
    public boolean vectorized() {
        return true;
    }

    @Override
    public void reluForward(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xo + i).lanewise(VectorOperators.MAX, 0f).intoArray(y, yo + i);
        }
        ScalarLoops.reluForwardFrom(x, xo, y, yo, i, n);
    }

    @Override
    public void reluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            VectorMask<Float> positive = FloatVector.fromArray(SPECIES, x, xo + i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(SPECIES, dy, dyo + i), positive).intoArray(dx, dxo + i);
        }
        ScalarLoops.reluBackwardFrom(x, xo, dy, dyo, dx, dxo, i, n);
    }

    /** A vector's lanes. */
    @Override
    public int sumLanes() {
        return LANES;
    }

    @Override
    public void copy(float[] src, int so, float[] dst, int dOff, int n) {
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FloatVector.fromArray(SPECIES, src, so + i).intoArray(dst, dOff + i);
        }
        ScalarLoops.copyFrom(src, so, dst, dOff, i, n);
    }

    @Override
    public void addTo(float[] src, int so, float[] dst, int dOff, int n) {
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FloatVector.fromArray(SPECIES, dst, dOff + i).add(FloatVector.fromArray(SPECIES, src, so + i))
                    .intoArray(dst, dOff + i);
        }
        ScalarLoops.addToFrom(src, so, dst, dOff, i, n);
    }

    @Override
    public void convolveFour(float[] x, int xo, int[] offsets, int taps, float[] w, int wo, float[] out, int oo,
                             int ldo, int n) {
        int w1 = wo + taps;
        int w2 = w1 + taps;
        int w3 = w2 + taps;
        int q = 0;
        // four vectors of q at a time: sixteen accumulators, each broadcast of w feeding four of them
        for (; q <= n - 4 * LANES; q += 4 * LANES) {
            FloatVector c00 = FloatVector.zero(SPECIES);
            FloatVector c01 = c00;
            FloatVector c02 = c00;
            FloatVector c03 = c00;
            FloatVector c10 = c00;
            FloatVector c11 = c00;
            FloatVector c12 = c00;
            FloatVector c13 = c00;
            FloatVector c20 = c00;
            FloatVector c21 = c00;
            FloatVector c22 = c00;
            FloatVector c23 = c00;
            FloatVector c30 = c00;
            FloatVector c31 = c00;
            FloatVector c32 = c00;
            FloatVector c33 = c00;
            for (int t = 0; t < taps; t++) {
                int at = xo + offsets[t] + q;
                FloatVector x0 = FloatVector.fromArray(SPECIES, x, at);
                FloatVector x1 = FloatVector.fromArray(SPECIES, x, at + LANES);
                FloatVector x2 = FloatVector.fromArray(SPECIES, x, at + 2 * LANES);
                FloatVector x3 = FloatVector.fromArray(SPECIES, x, at + 3 * LANES);
                FloatVector v = FloatVector.broadcast(SPECIES, w[wo + t]);
                c00 = v.fma(x0, c00);
                c01 = v.fma(x1, c01);
                c02 = v.fma(x2, c02);
                c03 = v.fma(x3, c03);
                v = FloatVector.broadcast(SPECIES, w[w1 + t]);
                c10 = v.fma(x0, c10);
                c11 = v.fma(x1, c11);
                c12 = v.fma(x2, c12);
                c13 = v.fma(x3, c13);
                v = FloatVector.broadcast(SPECIES, w[w2 + t]);
                c20 = v.fma(x0, c20);
                c21 = v.fma(x1, c21);
                c22 = v.fma(x2, c22);
                c23 = v.fma(x3, c23);
                v = FloatVector.broadcast(SPECIES, w[w3 + t]);
                c30 = v.fma(x0, c30);
                c31 = v.fma(x1, c31);
                c32 = v.fma(x2, c32);
                c33 = v.fma(x3, c33);
            }
            c00.intoArray(out, oo + q);
            c01.intoArray(out, oo + q + LANES);
            c02.intoArray(out, oo + q + 2 * LANES);
            c03.intoArray(out, oo + q + 3 * LANES);
            c10.intoArray(out, oo + ldo + q);
            c11.intoArray(out, oo + ldo + q + LANES);
            c12.intoArray(out, oo + ldo + q + 2 * LANES);
            c13.intoArray(out, oo + ldo + q + 3 * LANES);
            c20.intoArray(out, oo + 2 * ldo + q);
            c21.intoArray(out, oo + 2 * ldo + q + LANES);
            c22.intoArray(out, oo + 2 * ldo + q + 2 * LANES);
            c23.intoArray(out, oo + 2 * ldo + q + 3 * LANES);
            c30.intoArray(out, oo + 3 * ldo + q);
            c31.intoArray(out, oo + 3 * ldo + q + LANES);
            c32.intoArray(out, oo + 3 * ldo + q + 2 * LANES);
            c33.intoArray(out, oo + 3 * ldo + q + 3 * LANES);
        }
        // then two vectors: eight accumulators, each broadcast of w feeding two of them
        for (; q <= n - 2 * LANES; q += 2 * LANES) {
            FloatVector c00 = FloatVector.zero(SPECIES);
            FloatVector c01 = c00;
            FloatVector c10 = c00;
            FloatVector c11 = c00;
            FloatVector c20 = c00;
            FloatVector c21 = c00;
            FloatVector c30 = c00;
            FloatVector c31 = c00;
            for (int t = 0; t < taps; t++) {
                int at = xo + offsets[t] + q;
                FloatVector x0 = FloatVector.fromArray(SPECIES, x, at);
                FloatVector x1 = FloatVector.fromArray(SPECIES, x, at + LANES);
                FloatVector v = FloatVector.broadcast(SPECIES, w[wo + t]);
                c00 = v.fma(x0, c00);
                c01 = v.fma(x1, c01);
                v = FloatVector.broadcast(SPECIES, w[w1 + t]);
                c10 = v.fma(x0, c10);
                c11 = v.fma(x1, c11);
                v = FloatVector.broadcast(SPECIES, w[w2 + t]);
                c20 = v.fma(x0, c20);
                c21 = v.fma(x1, c21);
                v = FloatVector.broadcast(SPECIES, w[w3 + t]);
                c30 = v.fma(x0, c30);
                c31 = v.fma(x1, c31);
            }
            c00.intoArray(out, oo + q);
            c01.intoArray(out, oo + q + LANES);
            c10.intoArray(out, oo + ldo + q);
            c11.intoArray(out, oo + ldo + q + LANES);
            c20.intoArray(out, oo + 2 * ldo + q);
            c21.intoArray(out, oo + 2 * ldo + q + LANES);
            c30.intoArray(out, oo + 3 * ldo + q);
            c31.intoArray(out, oo + 3 * ldo + q + LANES);
        }
        for (; q <= n - LANES; q += LANES) {
            FloatVector c0 = FloatVector.zero(SPECIES);
            FloatVector c1 = c0;
            FloatVector c2 = c0;
            FloatVector c3 = c0;
            for (int t = 0; t < taps; t++) {
                FloatVector x0 = FloatVector.fromArray(SPECIES, x, xo + offsets[t] + q);
                c0 = FloatVector.broadcast(SPECIES, w[wo + t]).fma(x0, c0);
                c1 = FloatVector.broadcast(SPECIES, w[w1 + t]).fma(x0, c1);
                c2 = FloatVector.broadcast(SPECIES, w[w2 + t]).fma(x0, c2);
                c3 = FloatVector.broadcast(SPECIES, w[w3 + t]).fma(x0, c3);
            }
            c0.intoArray(out, oo + q);
            c1.intoArray(out, oo + ldo + q);
            c2.intoArray(out, oo + 2 * ldo + q);
            c3.intoArray(out, oo + 3 * ldo + q);
        }
        ScalarLoops.convolveFrom(4, x, xo, offsets, taps, w, wo, out, oo, ldo, q, n);
    }

    @Override
    public void convolveThree(float[] x, int xo, int[] offsets, int taps, float[] w, int wo, float[] out, int oo,
                              int ldo, int n) {
        int w1 = wo + taps;
        int w2 = w1 + taps;
        int q = 0;
        // five vectors of q at a time: fifteen accumulators, each broadcast of w feeding five of them
        for (; q <= n - 5 * LANES; q += 5 * LANES) {
            FloatVector c00 = FloatVector.zero(SPECIES);
            FloatVector c01 = c00;
            FloatVector c02 = c00;
            FloatVector c03 = c00;
            FloatVector c04 = c00;
            FloatVector c10 = c00;
            FloatVector c11 = c00;
            FloatVector c12 = c00;
            FloatVector c13 = c00;
            FloatVector c14 = c00;
            FloatVector c20 = c00;
            FloatVector c21 = c00;
            FloatVector c22 = c00;
            FloatVector c23 = c00;
            FloatVector c24 = c00;
            for (int t = 0; t < taps; t++) {
                int at = xo + offsets[t] + q;
                FloatVector x0 = FloatVector.fromArray(SPECIES, x, at);
                FloatVector x1 = FloatVector.fromArray(SPECIES, x, at + LANES);
                FloatVector x2 = FloatVector.fromArray(SPECIES, x, at + 2 * LANES);
                FloatVector x3 = FloatVector.fromArray(SPECIES, x, at + 3 * LANES);
                FloatVector x4 = FloatVector.fromArray(SPECIES, x, at + 4 * LANES);
                FloatVector v = FloatVector.broadcast(SPECIES, w[wo + t]);
                c00 = v.fma(x0, c00);
                c01 = v.fma(x1, c01);
                c02 = v.fma(x2, c02);
                c03 = v.fma(x3, c03);
                c04 = v.fma(x4, c04);
                v = FloatVector.broadcast(SPECIES, w[w1 + t]);
                c10 = v.fma(x0, c10);
                c11 = v.fma(x1, c11);
                c12 = v.fma(x2, c12);
                c13 = v.fma(x3, c13);
                c14 = v.fma(x4, c14);
                v = FloatVector.broadcast(SPECIES, w[w2 + t]);
                c20 = v.fma(x0, c20);
                c21 = v.fma(x1, c21);
                c22 = v.fma(x2, c22);
                c23 = v.fma(x3, c23);
                c24 = v.fma(x4, c24);
            }
            c00.intoArray(out, oo + q);
            c01.intoArray(out, oo + q + LANES);
            c02.intoArray(out, oo + q + 2 * LANES);
            c03.intoArray(out, oo + q + 3 * LANES);
            c04.intoArray(out, oo + q + 4 * LANES);
            c10.intoArray(out, oo + ldo + q);
            c11.intoArray(out, oo + ldo + q + LANES);
            c12.intoArray(out, oo + ldo + q + 2 * LANES);
            c13.intoArray(out, oo + ldo + q + 3 * LANES);
            c14.intoArray(out, oo + ldo + q + 4 * LANES);
            c20.intoArray(out, oo + 2 * ldo + q);
            c21.intoArray(out, oo + 2 * ldo + q + LANES);
            c22.intoArray(out, oo + 2 * ldo + q + 2 * LANES);
            c23.intoArray(out, oo + 2 * ldo + q + 3 * LANES);
            c24.intoArray(out, oo + 2 * ldo + q + 4 * LANES);
        }
        for (; q <= n - LANES; q += LANES) {
            FloatVector c0 = FloatVector.zero(SPECIES);
            FloatVector c1 = c0;
            FloatVector c2 = c0;
            for (int t = 0; t < taps; t++) {
                FloatVector x0 = FloatVector.fromArray(SPECIES, x, xo + offsets[t] + q);
                c0 = FloatVector.broadcast(SPECIES, w[wo + t]).fma(x0, c0);
                c1 = FloatVector.broadcast(SPECIES, w[w1 + t]).fma(x0, c1);
                c2 = FloatVector.broadcast(SPECIES, w[w2 + t]).fma(x0, c2);
            }
            c0.intoArray(out, oo + q);
            c1.intoArray(out, oo + ldo + q);
            c2.intoArray(out, oo + 2 * ldo + q);
        }
        ScalarLoops.convolveFrom(3, x, xo, offsets, taps, w, wo, out, oo, ldo, q, n);
    }

    @Override
    public void correlateFour(float[] dy, int dyo, int ldy, float[] x, int xo, int[] offsets, int to, float[] sums,
                              int so, int n) {
        int x0 = xo + offsets[to];
        int x1 = xo + offsets[to + 1];
        int x2 = xo + offsets[to + 2];
        int x3 = xo + offsets[to + 3];
        int d1 = dyo + ldy;
        int d2 = d1 + ldy;
        int d3 = d2 + ldy;
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c13 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c23 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c32 = c00;
        FloatVector c33 = c00;
        int q = 0;
        // sixteen accumulators fed by four loads of dy and four of x: the block of the GEMM's dot products
        // (VectorKernel.dotsOfFour), whose rows of B lie a fixed stride apart where these taps' lie anywhere
        for (; q <= n - LANES; q += LANES) {
            FloatVector a0 = FloatVector.fromArray(SPECIES, dy, dyo + q);
            FloatVector a1 = FloatVector.fromArray(SPECIES, dy, d1 + q);
            FloatVector a2 = FloatVector.fromArray(SPECIES, dy, d2 + q);
            FloatVector a3 = FloatVector.fromArray(SPECIES, dy, d3 + q);
            FloatVector b = FloatVector.fromArray(SPECIES, x, x0 + q);
            c00 = a0.fma(b, c00);
            c10 = a1.fma(b, c10);
            c20 = a2.fma(b, c20);
            c30 = a3.fma(b, c30);
            b = FloatVector.fromArray(SPECIES, x, x1 + q);
            c01 = a0.fma(b, c01);
            c11 = a1.fma(b, c11);
            c21 = a2.fma(b, c21);
            c31 = a3.fma(b, c31);
            b = FloatVector.fromArray(SPECIES, x, x2 + q);
            c02 = a0.fma(b, c02);
            c12 = a1.fma(b, c12);
            c22 = a2.fma(b, c22);
            c32 = a3.fma(b, c32);
            b = FloatVector.fromArray(SPECIES, x, x3 + q);
            c03 = a0.fma(b, c03);
            c13 = a1.fma(b, c13);
            c23 = a2.fma(b, c23);
            c33 = a3.fma(b, c33);
        }
        sums[so + 0] = ScalarLoops.correlateFrom(c00.reduceLanes(VectorOperators.ADD), dy, dyo, x, x0, q, n);
        sums[so + 1] = ScalarLoops.correlateFrom(c01.reduceLanes(VectorOperators.ADD), dy, dyo, x, x1, q, n);
        sums[so + 2] = ScalarLoops.correlateFrom(c02.reduceLanes(VectorOperators.ADD), dy, dyo, x, x2, q, n);
        sums[so + 3] = ScalarLoops.correlateFrom(c03.reduceLanes(VectorOperators.ADD), dy, dyo, x, x3, q, n);
        sums[so + 4] = ScalarLoops.correlateFrom(c10.reduceLanes(VectorOperators.ADD), dy, d1, x, x0, q, n);
        sums[so + 5] = ScalarLoops.correlateFrom(c11.reduceLanes(VectorOperators.ADD), dy, d1, x, x1, q, n);
        sums[so + 6] = ScalarLoops.correlateFrom(c12.reduceLanes(VectorOperators.ADD), dy, d1, x, x2, q, n);
        sums[so + 7] = ScalarLoops.correlateFrom(c13.reduceLanes(VectorOperators.ADD), dy, d1, x, x3, q, n);
        sums[so + 8] = ScalarLoops.correlateFrom(c20.reduceLanes(VectorOperators.ADD), dy, d2, x, x0, q, n);
        sums[so + 9] = ScalarLoops.correlateFrom(c21.reduceLanes(VectorOperators.ADD), dy, d2, x, x1, q, n);
        sums[so + 10] = ScalarLoops.correlateFrom(c22.reduceLanes(VectorOperators.ADD), dy, d2, x, x2, q, n);
        sums[so + 11] = ScalarLoops.correlateFrom(c23.reduceLanes(VectorOperators.ADD), dy, d2, x, x3, q, n);
        sums[so + 12] = ScalarLoops.correlateFrom(c30.reduceLanes(VectorOperators.ADD), dy, d3, x, x0, q, n);
        sums[so + 13] = ScalarLoops.correlateFrom(c31.reduceLanes(VectorOperators.ADD), dy, d3, x, x1, q, n);
        sums[so + 14] = ScalarLoops.correlateFrom(c32.reduceLanes(VectorOperators.ADD), dy, d3, x, x2, q, n);
        sums[so + 15] = ScalarLoops.correlateFrom(c33.reduceLanes(VectorOperators.ADD), dy, d3, x, x3, q, n);
    }

    @Override
    public void correlateThreeByFive(float[] dy, int dyo, int ldy, float[] x, int xo, int[] offsets, int to,
                                     float[] sums, int so, int n) {
        int x0 = xo + offsets[to + 0];
        int x1 = xo + offsets[to + 1];
        int x2 = xo + offsets[to + 2];
        int x3 = xo + offsets[to + 3];
        int x4 = xo + offsets[to + 4];
        int d1 = dyo + ldy;
        int d2 = d1 + ldy;
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        FloatVector c04 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c13 = c00;
        FloatVector c14 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c23 = c00;
        FloatVector c24 = c00;
        int q = 0;
        // fifteen accumulators fed by three loads of dy and five of x
        for (; q <= n - LANES; q += LANES) {
            FloatVector a0 = FloatVector.fromArray(SPECIES, dy, dyo + q);
            FloatVector a1 = FloatVector.fromArray(SPECIES, dy, d1 + q);
            FloatVector a2 = FloatVector.fromArray(SPECIES, dy, d2 + q);
            FloatVector b = FloatVector.fromArray(SPECIES, x, x0 + q);
            c00 = a0.fma(b, c00);
            c10 = a1.fma(b, c10);
            c20 = a2.fma(b, c20);
            b = FloatVector.fromArray(SPECIES, x, x1 + q);
            c01 = a0.fma(b, c01);
            c11 = a1.fma(b, c11);
            c21 = a2.fma(b, c21);
            b = FloatVector.fromArray(SPECIES, x, x2 + q);
            c02 = a0.fma(b, c02);
            c12 = a1.fma(b, c12);
            c22 = a2.fma(b, c22);
            b = FloatVector.fromArray(SPECIES, x, x3 + q);
            c03 = a0.fma(b, c03);
            c13 = a1.fma(b, c13);
            c23 = a2.fma(b, c23);
            b = FloatVector.fromArray(SPECIES, x, x4 + q);
            c04 = a0.fma(b, c04);
            c14 = a1.fma(b, c14);
            c24 = a2.fma(b, c24);
        }
        sums[so + 0] = ScalarLoops.correlateFrom(c00.reduceLanes(VectorOperators.ADD), dy, dyo, x, x0, q, n);
        sums[so + 1] = ScalarLoops.correlateFrom(c01.reduceLanes(VectorOperators.ADD), dy, dyo, x, x1, q, n);
        sums[so + 2] = ScalarLoops.correlateFrom(c02.reduceLanes(VectorOperators.ADD), dy, dyo, x, x2, q, n);
        sums[so + 3] = ScalarLoops.correlateFrom(c03.reduceLanes(VectorOperators.ADD), dy, dyo, x, x3, q, n);
        sums[so + 4] = ScalarLoops.correlateFrom(c04.reduceLanes(VectorOperators.ADD), dy, dyo, x, x4, q, n);
        sums[so + 5] = ScalarLoops.correlateFrom(c10.reduceLanes(VectorOperators.ADD), dy, d1, x, x0, q, n);
        sums[so + 6] = ScalarLoops.correlateFrom(c11.reduceLanes(VectorOperators.ADD), dy, d1, x, x1, q, n);
        sums[so + 7] = ScalarLoops.correlateFrom(c12.reduceLanes(VectorOperators.ADD), dy, d1, x, x2, q, n);
        sums[so + 8] = ScalarLoops.correlateFrom(c13.reduceLanes(VectorOperators.ADD), dy, d1, x, x3, q, n);
        sums[so + 9] = ScalarLoops.correlateFrom(c14.reduceLanes(VectorOperators.ADD), dy, d1, x, x4, q, n);
        sums[so + 10] = ScalarLoops.correlateFrom(c20.reduceLanes(VectorOperators.ADD), dy, d2, x, x0, q, n);
        sums[so + 11] = ScalarLoops.correlateFrom(c21.reduceLanes(VectorOperators.ADD), dy, d2, x, x1, q, n);
        sums[so + 12] = ScalarLoops.correlateFrom(c22.reduceLanes(VectorOperators.ADD), dy, d2, x, x2, q, n);
        sums[so + 13] = ScalarLoops.correlateFrom(c23.reduceLanes(VectorOperators.ADD), dy, d2, x, x3, q, n);
        sums[so + 14] = ScalarLoops.correlateFrom(c24.reduceLanes(VectorOperators.ADD), dy, d2, x, x4, q, n);
    }

    @Override
    public int lanes() {
        return LANES;
    }

    /**
     * Sixteen vectors of sums in registers, started from a zero made in the method: from the constant
     * {@link #ZERO}, or in two nested loops, C2 (JDK 17) kept them on the heap, boxed, and ran ten times slower.
     */
    @Override
    public void laneProducts(float[] x, int[] starts, int from, int count, int[] steps, int n, float[] m, int mo,
                             int ldm, int channels, float[] sums, int so, int lds) {
        if (channels == LANES && count == 16) {
            productsOfOneVector(x, starts, from, steps, n, m, mo, ldm, sums, so, lds);
        } else if (channels == 2 * LANES && count == 8) {
            productsOfTwoVectors(x, starts, from, steps, n, m, mo, ldm, sums, so, lds);
        } else if (channels == 4 * LANES && count == 4) {
            productsOfFourVectors(x, starts, from, steps, n, m, mo, ldm, sums, so, lds);
        } else {
            throw new IllegalArgumentException("laneProducts takes 16, 8 or 4 starts by 1, 2 or 4 vectors of "
                    + LANES + " channels, not " + count + " by " + channels);
        }
    }

    /** Twelve vectors of sums in registers, started from a zero made in the method (see {@link #laneProducts}). */
    @Override
    public void rowPairProducts(float[] rows, int ro, int[] rowAt, int rowStride, float[] w, int wo, int[] wAt,
                                int from, int n, int channels, float[] sums, int so) {
        if (channels != ROW_CHANNELS) {
            throw new IllegalArgumentException(
                    "rowPairProducts takes " + ROW_CHANNELS + " channels, not " + channels);
        }
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero;
        FloatVector b0 = zero, b1 = zero, b2 = zero, b3 = zero, b4 = zero, b5 = zero;
        for (int s = from; s < from + n; s++) {
            int at = ro + rowAt[s];
            int k = wo + wAt[s];
            FloatVector top = FloatVector.fromArray(SPECIES, rows, at);
            FloatVector bottom = FloatVector.fromArray(SPECIES, rows, at + rowStride);
            FloatVector w0 = FloatVector.broadcast(SPECIES, w[k]);
            a0 = w0.fma(top, a0);
            b0 = w0.fma(bottom, b0);
            FloatVector w1 = FloatVector.broadcast(SPECIES, w[k + 1]);
            a1 = w1.fma(top, a1);
            b1 = w1.fma(bottom, b1);
            FloatVector w2 = FloatVector.broadcast(SPECIES, w[k + 2]);
            a2 = w2.fma(top, a2);
            b2 = w2.fma(bottom, b2);
            FloatVector w3 = FloatVector.broadcast(SPECIES, w[k + 3]);
            a3 = w3.fma(top, a3);
            b3 = w3.fma(bottom, b3);
            FloatVector w4 = FloatVector.broadcast(SPECIES, w[k + 4]);
            a4 = w4.fma(top, a4);
            b4 = w4.fma(bottom, b4);
            FloatVector w5 = FloatVector.broadcast(SPECIES, w[k + 5]);
            a5 = w5.fma(top, a5);
            b5 = w5.fma(bottom, b5);
        }
        FloatVector.fromArray(SPECIES, sums, so).add(a0).intoArray(sums, so);
        FloatVector.fromArray(SPECIES, sums, so + 1 * LANES).add(a1).intoArray(sums, so + 1 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 2 * LANES).add(a2).intoArray(sums, so + 2 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 3 * LANES).add(a3).intoArray(sums, so + 3 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 4 * LANES).add(a4).intoArray(sums, so + 4 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 5 * LANES).add(a5).intoArray(sums, so + 5 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 6 * LANES).add(b0).intoArray(sums, so + 6 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 7 * LANES).add(b1).intoArray(sums, so + 7 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 8 * LANES).add(b2).intoArray(sums, so + 8 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 9 * LANES).add(b3).intoArray(sums, so + 9 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 10 * LANES).add(b4).intoArray(sums, so + 10 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 11 * LANES).add(b5).intoArray(sums, so + 11 * LANES);
    }

    @Override
    public void imageProducts(float[] x, int xo, int[] xAt, float[] w, int wo, int taps, float[] sums, int so,
                              int lds) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero;
        FloatVector b0 = zero, b1 = zero, b2 = zero, b3 = zero, b4 = zero;
        FloatVector c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero;
        FloatVector d0 = zero, d1 = zero, d2 = zero, d3 = zero, d4 = zero;
        for (int t = 0; t < taps; t++) {
            int at = xo + xAt[t];
            FloatVector x0 = FloatVector.fromArray(SPECIES, x, at);
            FloatVector x1 = FloatVector.fromArray(SPECIES, x, at + LANES);
            FloatVector x2 = FloatVector.fromArray(SPECIES, x, at + 2 * LANES);
            FloatVector x3 = FloatVector.fromArray(SPECIES, x, at + 3 * LANES);
            FloatVector x4 = FloatVector.fromArray(SPECIES, x, at + 4 * LANES);
            int k = wo + t;
            FloatVector v = FloatVector.broadcast(SPECIES, w[k]);
            a0 = v.fma(x0, a0);
            a1 = v.fma(x1, a1);
            a2 = v.fma(x2, a2);
            a3 = v.fma(x3, a3);
            a4 = v.fma(x4, a4);
            v = FloatVector.broadcast(SPECIES, w[k + taps]);
            b0 = v.fma(x0, b0);
            b1 = v.fma(x1, b1);
            b2 = v.fma(x2, b2);
            b3 = v.fma(x3, b3);
            b4 = v.fma(x4, b4);
            v = FloatVector.broadcast(SPECIES, w[k + 2 * taps]);
            c0 = v.fma(x0, c0);
            c1 = v.fma(x1, c1);
            c2 = v.fma(x2, c2);
            c3 = v.fma(x3, c3);
            c4 = v.fma(x4, c4);
            v = FloatVector.broadcast(SPECIES, w[k + 3 * taps]);
            d0 = v.fma(x0, d0);
            d1 = v.fma(x1, d1);
            d2 = v.fma(x2, d2);
            d3 = v.fma(x3, d3);
            d4 = v.fma(x4, d4);
        }
        a0.intoArray(sums, so);
        a1.intoArray(sums, so + LANES);
        a2.intoArray(sums, so + 2 * LANES);
        a3.intoArray(sums, so + 3 * LANES);
        a4.intoArray(sums, so + 4 * LANES);
        b0.intoArray(sums, so + lds);
        b1.intoArray(sums, so + lds + LANES);
        b2.intoArray(sums, so + lds + 2 * LANES);
        b3.intoArray(sums, so + lds + 3 * LANES);
        b4.intoArray(sums, so + lds + 4 * LANES);
        c0.intoArray(sums, so + 2 * lds);
        c1.intoArray(sums, so + 2 * lds + LANES);
        c2.intoArray(sums, so + 2 * lds + 2 * LANES);
        c3.intoArray(sums, so + 2 * lds + 3 * LANES);
        c4.intoArray(sums, so + 2 * lds + 4 * LANES);
        d0.intoArray(sums, so + 3 * lds);
        d1.intoArray(sums, so + 3 * lds + LANES);
        d2.intoArray(sums, so + 3 * lds + 2 * LANES);
        d3.intoArray(sums, so + 3 * lds + 3 * LANES);
        d4.intoArray(sums, so + 3 * lds + 4 * LANES);
    }

    @Override
    public void imageGradientProducts(float[] dy, int dyo, int ldy, float[] x, int xo, int[] xAt, int to,
                                      int[] pixelAt, int n, float[] sums, int so) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero;
        FloatVector b0 = zero, b1 = zero, b2 = zero, b3 = zero, b4 = zero;
        FloatVector c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero;
        FloatVector d0 = zero, d1 = zero, d2 = zero, d3 = zero, d4 = zero;
        int t0 = xo + xAt[to];
        int t1 = xo + xAt[to + 1];
        int t2 = xo + xAt[to + 2];
        int t3 = xo + xAt[to + 3];
        int t4 = xo + xAt[to + 4];
        for (int r = 0; r < n; r++) {
            int at = pixelAt[r];
            FloatVector x0 = FloatVector.fromArray(SPECIES, x, t0 + at);
            FloatVector x1 = FloatVector.fromArray(SPECIES, x, t1 + at);
            FloatVector x2 = FloatVector.fromArray(SPECIES, x, t2 + at);
            FloatVector x3 = FloatVector.fromArray(SPECIES, x, t3 + at);
            FloatVector x4 = FloatVector.fromArray(SPECIES, x, t4 + at);
            int g = dyo + r * LANES;
            FloatVector v = FloatVector.fromArray(SPECIES, dy, g);
            a0 = v.fma(x0, a0);
            a1 = v.fma(x1, a1);
            a2 = v.fma(x2, a2);
            a3 = v.fma(x3, a3);
            a4 = v.fma(x4, a4);
            v = FloatVector.fromArray(SPECIES, dy, g + ldy);
            b0 = v.fma(x0, b0);
            b1 = v.fma(x1, b1);
            b2 = v.fma(x2, b2);
            b3 = v.fma(x3, b3);
            b4 = v.fma(x4, b4);
            v = FloatVector.fromArray(SPECIES, dy, g + 2 * ldy);
            c0 = v.fma(x0, c0);
            c1 = v.fma(x1, c1);
            c2 = v.fma(x2, c2);
            c3 = v.fma(x3, c3);
            c4 = v.fma(x4, c4);
            v = FloatVector.fromArray(SPECIES, dy, g + 3 * ldy);
            d0 = v.fma(x0, d0);
            d1 = v.fma(x1, d1);
            d2 = v.fma(x2, d2);
            d3 = v.fma(x3, d3);
            d4 = v.fma(x4, d4);
        }
        FloatVector.fromArray(SPECIES, sums, so).add(a0).intoArray(sums, so);
        FloatVector.fromArray(SPECIES, sums, so + LANES).add(a1).intoArray(sums, so + LANES);
        FloatVector.fromArray(SPECIES, sums, so + 2 * LANES).add(a2).intoArray(sums, so + 2 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 3 * LANES).add(a3).intoArray(sums, so + 3 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 4 * LANES).add(a4).intoArray(sums, so + 4 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 5 * LANES).add(b0).intoArray(sums, so + 5 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 6 * LANES).add(b1).intoArray(sums, so + 6 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 7 * LANES).add(b2).intoArray(sums, so + 7 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 8 * LANES).add(b3).intoArray(sums, so + 8 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 9 * LANES).add(b4).intoArray(sums, so + 9 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 10 * LANES).add(c0).intoArray(sums, so + 10 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 11 * LANES).add(c1).intoArray(sums, so + 11 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 12 * LANES).add(c2).intoArray(sums, so + 12 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 13 * LANES).add(c3).intoArray(sums, so + 13 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 14 * LANES).add(c4).intoArray(sums, so + 14 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 15 * LANES).add(d0).intoArray(sums, so + 15 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 16 * LANES).add(d1).intoArray(sums, so + 16 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 17 * LANES).add(d2).intoArray(sums, so + 17 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 18 * LANES).add(d3).intoArray(sums, so + 18 * LANES);
        FloatVector.fromArray(SPECIES, sums, so + 19 * LANES).add(d4).intoArray(sums, so + 19 * LANES);
    }

    /**
     * Whether images evenly spaced a multiple of 2 KiB apart put a gather's or scatter's lines in at most two sets of
     * the L1 cache (4 KiB a way on the x86 cores of today): more lines than the ways can keep, so each vector would
     * evict the lines the next one needs. LeNet-5's second convolution at 8 x 8 outputs (4 KiB an image) scattered
     * three times slower than image by image.
     */
    private static boolean inFewSets(int[] imageAt) {
        return imageAt.length > 1 && (imageAt[1] - imageAt[0]) * Float.BYTES % 2048 == 0;
    }

    /** A vector gather per pixel where every lane holds an image, else float by float (see {@link #inFewSets}). */
    @Override
    public void gatherImages(float[] x, int xo, int[] imageAt, int images, float[] to, int too, int n) {
        if (images < LANES || inFewSets(imageAt)) {
            ScalarLoops.gatherImagesFrom(x, xo, imageAt, images, to, too, LANES, n);
            return;
        }
        for (int p = 0; p < n; p++) {
            FloatVector.fromArray(SPECIES, x, xo + p, imageAt, 0).intoArray(to, too + p * LANES);
        }
    }

    /** A vector scatter per pixel where every lane holds an image, else image by image (see {@link #inFewSets}). */
    @Override
    public void scatterImages(float[] from, int fo, float[] y, int yo, int[] imageAt, int images, int n) {
        if (images < LANES || inFewSets(imageAt)) {
            ScalarLoops.scatterImagesFrom(from, fo, y, yo, imageAt, images, LANES, n);
            return;
        }
        for (int p = 0; p < n; p++) {
            FloatVector.fromArray(SPECIES, from, fo + p * LANES).intoArray(y, yo + p, imageAt, 0);
        }
    }

    /** {@link #laneProducts} for sixteen starts by one vector of channels. */
    private static void productsOfOneVector(float[] x, int[] starts, int from, int[] steps, int n, float[] m, int mo,
                                            int ldm, float[] sums, int so, int lds) {
        int x0 = starts[from];
        int x1 = starts[from + 1];
        int x2 = starts[from + 2];
        int x3 = starts[from + 3];
        int x4 = starts[from + 4];
        int x5 = starts[from + 5];
        int x6 = starts[from + 6];
        int x7 = starts[from + 7];
        int x8 = starts[from + 8];
        int x9 = starts[from + 9];
        int x10 = starts[from + 10];
        int x11 = starts[from + 11];
        int x12 = starts[from + 12];
        int x13 = starts[from + 13];
        int x14 = starts[from + 14];
        int x15 = starts[from + 15];
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector s4 = s0;
        FloatVector s5 = s0;
        FloatVector s6 = s0;
        FloatVector s7 = s0;
        FloatVector s8 = s0;
        FloatVector s9 = s0;
        FloatVector s10 = s0;
        FloatVector s11 = s0;
        FloatVector s12 = s0;
        FloatVector s13 = s0;
        FloatVector s14 = s0;
        FloatVector s15 = s0;
        for (int r = 0, row = mo; r < n; r++, row += ldm) {
            int p = steps[r];
            FloatVector g0 = FloatVector.fromArray(SPECIES, m, row);
            s0 = FloatVector.broadcast(SPECIES, x[x0 + p]).fma(g0, s0);
            s1 = FloatVector.broadcast(SPECIES, x[x1 + p]).fma(g0, s1);
            s2 = FloatVector.broadcast(SPECIES, x[x2 + p]).fma(g0, s2);
            s3 = FloatVector.broadcast(SPECIES, x[x3 + p]).fma(g0, s3);
            s4 = FloatVector.broadcast(SPECIES, x[x4 + p]).fma(g0, s4);
            s5 = FloatVector.broadcast(SPECIES, x[x5 + p]).fma(g0, s5);
            s6 = FloatVector.broadcast(SPECIES, x[x6 + p]).fma(g0, s6);
            s7 = FloatVector.broadcast(SPECIES, x[x7 + p]).fma(g0, s7);
            s8 = FloatVector.broadcast(SPECIES, x[x8 + p]).fma(g0, s8);
            s9 = FloatVector.broadcast(SPECIES, x[x9 + p]).fma(g0, s9);
            s10 = FloatVector.broadcast(SPECIES, x[x10 + p]).fma(g0, s10);
            s11 = FloatVector.broadcast(SPECIES, x[x11 + p]).fma(g0, s11);
            s12 = FloatVector.broadcast(SPECIES, x[x12 + p]).fma(g0, s12);
            s13 = FloatVector.broadcast(SPECIES, x[x13 + p]).fma(g0, s13);
            s14 = FloatVector.broadcast(SPECIES, x[x14 + p]).fma(g0, s14);
            s15 = FloatVector.broadcast(SPECIES, x[x15 + p]).fma(g0, s15);
        }
        int at = so;
        FloatVector.fromArray(SPECIES, sums, at).add(s0).intoArray(sums, at);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s1).intoArray(sums, at);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s2).intoArray(sums, at);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s3).intoArray(sums, at);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s4).intoArray(sums, at);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s5).intoArray(sums, at);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s6).intoArray(sums, at);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s7).intoArray(sums, at);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s8).intoArray(sums, at);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s9).intoArray(sums, at);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s10).intoArray(sums, at);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s11).intoArray(sums, at);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s12).intoArray(sums, at);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s13).intoArray(sums, at);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s14).intoArray(sums, at);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s15).intoArray(sums, at);
    }

    /** {@link #laneProducts} for eight starts by two vectors of channels. */
    private static void productsOfTwoVectors(float[] x, int[] starts, int from, int[] steps, int n, float[] m, int mo,
                                             int ldm, float[] sums, int so, int lds) {
        int x0 = starts[from];
        int x1 = starts[from + 1];
        int x2 = starts[from + 2];
        int x3 = starts[from + 3];
        int x4 = starts[from + 4];
        int x5 = starts[from + 5];
        int x6 = starts[from + 6];
        int x7 = starts[from + 7];
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s40 = s00;
        FloatVector s41 = s00;
        FloatVector s50 = s00;
        FloatVector s51 = s00;
        FloatVector s60 = s00;
        FloatVector s61 = s00;
        FloatVector s70 = s00;
        FloatVector s71 = s00;
        for (int r = 0, row = mo; r < n; r++, row += ldm) {
            int p = steps[r];
            FloatVector g0 = FloatVector.fromArray(SPECIES, m, row);
            FloatVector g1 = FloatVector.fromArray(SPECIES, m, row + LANES);
            FloatVector b0 = FloatVector.broadcast(SPECIES, x[x0 + p]);
            s00 = b0.fma(g0, s00);
            s01 = b0.fma(g1, s01);
            FloatVector b1 = FloatVector.broadcast(SPECIES, x[x1 + p]);
            s10 = b1.fma(g0, s10);
            s11 = b1.fma(g1, s11);
            FloatVector b2 = FloatVector.broadcast(SPECIES, x[x2 + p]);
            s20 = b2.fma(g0, s20);
            s21 = b2.fma(g1, s21);
            FloatVector b3 = FloatVector.broadcast(SPECIES, x[x3 + p]);
            s30 = b3.fma(g0, s30);
            s31 = b3.fma(g1, s31);
            FloatVector b4 = FloatVector.broadcast(SPECIES, x[x4 + p]);
            s40 = b4.fma(g0, s40);
            s41 = b4.fma(g1, s41);
            FloatVector b5 = FloatVector.broadcast(SPECIES, x[x5 + p]);
            s50 = b5.fma(g0, s50);
            s51 = b5.fma(g1, s51);
            FloatVector b6 = FloatVector.broadcast(SPECIES, x[x6 + p]);
            s60 = b6.fma(g0, s60);
            s61 = b6.fma(g1, s61);
            FloatVector b7 = FloatVector.broadcast(SPECIES, x[x7 + p]);
            s70 = b7.fma(g0, s70);
            s71 = b7.fma(g1, s71);
        }
        int at = so;
        FloatVector.fromArray(SPECIES, sums, at).add(s00).intoArray(sums, at);
        FloatVector.fromArray(SPECIES, sums, at + LANES).add(s01).intoArray(sums, at + LANES);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s10).intoArray(sums, at);
        FloatVector.fromArray(SPECIES, sums, at + LANES).add(s11).intoArray(sums, at + LANES);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s20).intoArray(sums, at);
        FloatVector.fromArray(SPECIES, sums, at + LANES).add(s21).intoArray(sums, at + LANES);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s30).intoArray(sums, at);
        FloatVector.fromArray(SPECIES, sums, at + LANES).add(s31).intoArray(sums, at + LANES);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s40).intoArray(sums, at);
        FloatVector.fromArray(SPECIES, sums, at + LANES).add(s41).intoArray(sums, at + LANES);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s50).intoArray(sums, at);
        FloatVector.fromArray(SPECIES, sums, at + LANES).add(s51).intoArray(sums, at + LANES);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s60).intoArray(sums, at);
        FloatVector.fromArray(SPECIES, sums, at + LANES).add(s61).intoArray(sums, at + LANES);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s70).intoArray(sums, at);
        FloatVector.fromArray(SPECIES, sums, at + LANES).add(s71).intoArray(sums, at + LANES);
    }

    /** {@link #laneProducts} for four starts by four vectors of channels. */
    private static void productsOfFourVectors(float[] x, int[] starts, int from, int[] steps, int n, float[] m, int mo,
                                              int ldm, float[] sums, int so, int lds) {
        int x0 = starts[from];
        int x1 = starts[from + 1];
        int x2 = starts[from + 2];
        int x3 = starts[from + 3];
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s22 = s00;
        FloatVector s23 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s32 = s00;
        FloatVector s33 = s00;
        for (int r = 0, row = mo; r < n; r++, row += ldm) {
            int p = steps[r];
            FloatVector g0 = FloatVector.fromArray(SPECIES, m, row);
            FloatVector g1 = FloatVector.fromArray(SPECIES, m, row + LANES);
            FloatVector g2 = FloatVector.fromArray(SPECIES, m, row + 2 * LANES);
            FloatVector g3 = FloatVector.fromArray(SPECIES, m, row + 3 * LANES);
            FloatVector b0 = FloatVector.broadcast(SPECIES, x[x0 + p]);
            s00 = b0.fma(g0, s00);
            s01 = b0.fma(g1, s01);
            s02 = b0.fma(g2, s02);
            s03 = b0.fma(g3, s03);
            FloatVector b1 = FloatVector.broadcast(SPECIES, x[x1 + p]);
            s10 = b1.fma(g0, s10);
            s11 = b1.fma(g1, s11);
            s12 = b1.fma(g2, s12);
            s13 = b1.fma(g3, s13);
            FloatVector b2 = FloatVector.broadcast(SPECIES, x[x2 + p]);
            s20 = b2.fma(g0, s20);
            s21 = b2.fma(g1, s21);
            s22 = b2.fma(g2, s22);
            s23 = b2.fma(g3, s23);
            FloatVector b3 = FloatVector.broadcast(SPECIES, x[x3 + p]);
            s30 = b3.fma(g0, s30);
            s31 = b3.fma(g1, s31);
            s32 = b3.fma(g2, s32);
            s33 = b3.fma(g3, s33);
        }
        int at = so;
        FloatVector.fromArray(SPECIES, sums, at).add(s00).intoArray(sums, at);
        FloatVector.fromArray(SPECIES, sums, at + LANES).add(s01).intoArray(sums, at + LANES);
        FloatVector.fromArray(SPECIES, sums, at + 2 * LANES).add(s02).intoArray(sums, at + 2 * LANES);
        FloatVector.fromArray(SPECIES, sums, at + 3 * LANES).add(s03).intoArray(sums, at + 3 * LANES);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s10).intoArray(sums, at);
        FloatVector.fromArray(SPECIES, sums, at + LANES).add(s11).intoArray(sums, at + LANES);
        FloatVector.fromArray(SPECIES, sums, at + 2 * LANES).add(s12).intoArray(sums, at + 2 * LANES);
        FloatVector.fromArray(SPECIES, sums, at + 3 * LANES).add(s13).intoArray(sums, at + 3 * LANES);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s20).intoArray(sums, at);
        FloatVector.fromArray(SPECIES, sums, at + LANES).add(s21).intoArray(sums, at + LANES);
        FloatVector.fromArray(SPECIES, sums, at + 2 * LANES).add(s22).intoArray(sums, at + 2 * LANES);
        FloatVector.fromArray(SPECIES, sums, at + 3 * LANES).add(s23).intoArray(sums, at + 3 * LANES);
        at += lds;
        FloatVector.fromArray(SPECIES, sums, at).add(s30).intoArray(sums, at);
        FloatVector.fromArray(SPECIES, sums, at + LANES).add(s31).intoArray(sums, at + LANES);
        FloatVector.fromArray(SPECIES, sums, at + 2 * LANES).add(s32).intoArray(sums, at + 2 * LANES);
        FloatVector.fromArray(SPECIES, sums, at + 3 * LANES).add(s33).intoArray(sums, at + 3 * LANES);
    }

    @Override
    public void affine(float[] x, int xo, float shift, float scale, float offset, float[] out, int oo, int n) {
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xo + i).sub(shift).mul(scale).add(offset).intoArray(out, oo + i);
        }
        ScalarLoops.affineFrom(x, xo, shift, scale, offset, out, oo, i, n);
    }

    @Override
    public void addRelu(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FloatVector.fromArray(SPECIES, a, ao + i).add(FloatVector.fromArray(SPECIES, b, bo + i))
                    .lanewise(VectorOperators.MAX, 0f).intoArray(out, oo + i);
        }
        ScalarLoops.addReluFrom(a, ao, b, bo, out, oo, i, n);
    }

    @Override
    public void affineRelu(float[] x, int xo, float shift, float scale, float offset, float[] out, int oo, int n) {
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xo + i).sub(shift).mul(scale).add(offset)
                    .lanewise(VectorOperators.MAX, 0f).intoArray(out, oo + i);
        }
        ScalarLoops.affineReluFrom(x, xo, shift, scale, offset, out, oo, i, n);
    }

    @Override
    public void affineSum(float[] x, int xo, float shift, float scale, float[] y, int yo, float yScale,
                          float offset, float[] out, int oo, int n) {
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FloatVector scaled = FloatVector.fromArray(SPECIES, x, xo + i).sub(shift).mul(scale);
            scaled.add(FloatVector.fromArray(SPECIES, y, yo + i).mul(yScale)).add(offset).intoArray(out, oo + i);
        }
        ScalarLoops.affineSumFrom(x, xo, shift, scale, y, yo, yScale, offset, out, oo, i, n);
    }

    /**
     * One loop over every run's whole blocks, stepping to the next run where one ends: C2 keeps a vector carried by
     * one loop in a register, not one carried through two nested loops (measured four times slower).
     */
    @Override
    public float sumOfRuns(float[] a, int ao, int n, int runs, int stride) {
        FloatVector lanes = FloatVector.zero(SPECIES);
        int whole = n / LANES * LANES;
        int blocks = runs * (whole / LANES);
        int run = ao;
        int at = ao;
        for (int block = 0; block < blocks; block++) {
            lanes = lanes.add(FloatVector.fromArray(SPECIES, a, at));
            at += LANES;
            if (at == run + whole) {
                run += stride;
                at = run;
            }
        }
        float r = inOrder(lanes);
        for (int i = 0; i < runs; i++) {
            r = ScalarLoops.sumFrom(r, a, ao + i * stride, whole, n);
        }
        return r;
    }

    /** As {@link #sumOfRuns}: one loop over every run's whole blocks. */
    @Override
    public float sumOfProductsOfRuns(float[] a, int ao, float aShift, float[] b, int bo, float bShift, int n,
                                     int runs, int stride) {
        FloatVector lanes = FloatVector.zero(SPECIES);
        int whole = n / LANES * LANES;
        int blocks = runs * (whole / LANES);
        int run = 0;
        int at = 0;
        for (int block = 0; block < blocks; block++) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, ao + at).sub(aShift);
            FloatVector y = FloatVector.fromArray(SPECIES, b, bo + at).sub(bShift);
            lanes = lanes.add(x.mul(y));
            at += LANES;
            if (at == run + whole) {
                run += stride;
                at = run;
            }
        }
        float r = inOrder(lanes);
        for (int i = 0; i < runs; i++) {
            r = ScalarLoops.sumOfProductsFrom(r, a, ao + i * stride, aShift, b, bo + i * stride, bShift, whole, n);
        }
        return r;
    }

    /** Lane 0 plus lanes 1, 2, ... in order (reduceLanes leaves its order open). */
    private static float inOrder(FloatVector lanes) {
        float r = lanes.lane(0);
        for (int j = 1; j < LANES; j++) {
            r += lanes.lane(j);
        }
        return r;
    }

    /**
     * One vector loop per op, each with its own lane-wise operation: an operator the JIT cannot see as a constant
     * would leave the Vector API uncompiled. {@code EQUAL} compares as {@code ==} does (NaN unequal to itself, -0
     * equal to 0) and blends 1 into a vector of +0.
     */
    @Override
    public void zipScalar(BinaryOp op, float[] a, int ao, float b, float[] out, int oo, int n) {
        int i = 0;
        switch (op) {
            case ADD -> {
                for (; i <= n - LANES; i += LANES) {
                    FloatVector.fromArray(SPECIES, a, ao + i).add(b).intoArray(out, oo + i);
                }
            }
            case SUB -> {
                for (; i <= n - LANES; i += LANES) {
                    FloatVector.fromArray(SPECIES, a, ao + i).sub(b).intoArray(out, oo + i);
                }
            }
            case MUL -> {
                for (; i <= n - LANES; i += LANES) {
                    FloatVector.fromArray(SPECIES, a, ao + i).mul(b).intoArray(out, oo + i);
                }
            }
            case DIV -> {
                for (; i <= n - LANES; i += LANES) {
                    FloatVector.fromArray(SPECIES, a, ao + i).div(b).intoArray(out, oo + i);
                }
            }
            case EQUAL -> {
                FloatVector zero = FloatVector.zero(SPECIES);
                FloatVector one = FloatVector.broadcast(SPECIES, 1f);
                for (; i <= n - LANES; i += LANES) {
                    zero.blend(one, FloatVector.fromArray(SPECIES, a, ao + i).eq(b)).intoArray(out, oo + i);
                }
            }
        }
        ScalarLoops.zipScalarFrom(op, a, ao, b, out, oo, i, n);
    }

    /** As {@link #zipScalar}, with a vector of b. */
    @Override
    public void zip(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        switch (op) {
            case ADD -> {
                for (; i <= n - LANES; i += LANES) {
                    FloatVector.fromArray(SPECIES, a, ao + i).add(FloatVector.fromArray(SPECIES, b, bo + i))
                            .intoArray(out, oo + i);
                }
            }
            case SUB -> {
                for (; i <= n - LANES; i += LANES) {
                    FloatVector.fromArray(SPECIES, a, ao + i).sub(FloatVector.fromArray(SPECIES, b, bo + i))
                            .intoArray(out, oo + i);
                }
            }
            case MUL -> {
                for (; i <= n - LANES; i += LANES) {
                    FloatVector.fromArray(SPECIES, a, ao + i).mul(FloatVector.fromArray(SPECIES, b, bo + i))
                            .intoArray(out, oo + i);
                }
            }
            case DIV -> {
                for (; i <= n - LANES; i += LANES) {
                    FloatVector.fromArray(SPECIES, a, ao + i).div(FloatVector.fromArray(SPECIES, b, bo + i))
                            .intoArray(out, oo + i);
                }
            }
            case EQUAL -> {
                FloatVector zero = FloatVector.zero(SPECIES);
                FloatVector one = FloatVector.broadcast(SPECIES, 1f);
                for (; i <= n - LANES; i += LANES) {
                    VectorMask<Float> equal = FloatVector.fromArray(SPECIES, a, ao + i)
                            .eq(FloatVector.fromArray(SPECIES, b, bo + i));
                    zero.blend(one, equal).intoArray(out, oo + i);
                }
            }
        }
        ScalarLoops.zipFrom(op, a, ao, b, bo, out, oo, i, n);
    }

    @Override
    public void sgdMomentum(float[] p, int po, float[] g, int go, float[] v, int vo, int n, float lr, float mu,
                            float wd, boolean nesterov) {
        int i = 0;
        if (nesterov) {
            for (; i <= n - LANES; i += LANES) {
                FloatVector param = FloatVector.fromArray(SPECIES, p, po + i);
                FloatVector grad = FloatVector.fromArray(SPECIES, g, go + i).add(param.mul(wd));
                ZERO.intoArray(g, go + i);
                FloatVector vel = FloatVector.fromArray(SPECIES, v, vo + i).mul(mu).add(grad);
                vel.intoArray(v, vo + i);
                param.sub(grad.add(vel.mul(mu)).mul(lr)).intoArray(p, po + i);
            }
        } else {
            for (; i <= n - LANES; i += LANES) {
                FloatVector param = FloatVector.fromArray(SPECIES, p, po + i);
                FloatVector grad = FloatVector.fromArray(SPECIES, g, go + i).add(param.mul(wd));
                ZERO.intoArray(g, go + i);
                FloatVector vel = FloatVector.fromArray(SPECIES, v, vo + i).mul(mu).add(grad);
                vel.intoArray(v, vo + i);
                param.sub(vel.mul(lr)).intoArray(p, po + i);
            }
        }
        ScalarLoops.sgdMomentumFrom(p, po, g, go, v, vo, i, n, lr, mu, wd, nesterov);
    }

    /**
     * Vectors of LANES columns of a pair of rows, that is LANES/2 windows, the last vector of a row overlapping the
     * one before; a pair of rows narrower than a vector is one vector, whose lanes past the pair's windows hold
     * values of no window. In each pair of lanes the window's first maximum comes from the rule {@link PoolingOps}
     * applies: its four inputs in row-major order, each replacing the best so far only when greater (so NaN and -0
     * come out as there, which Math.max would not give). Each vector's values go straight to y, its windows' values
     * and others that later vectors (of this row, the next or the next plane) overwrite; a vector whose store would
     * reach past the planes (into another thread's) or whose loads would reach past x goes window by window.
     */
    @Override
    public void maxPoolForward(float[] x, int in, int h, int w, float[] y, int out, int planes) {
        int outH = h / 2;
        int outW = w / 2;
        int span = 2 * outW;
        int yEnd = out + planes * outH * outW;
        for (int p = 0; p < planes; p++) {
            int plane = in + p * h * w;
            for (int oy = 0; oy < outH; oy++) {
                int top = plane + 2 * oy * w;
                int o = out + (p * outH + oy) * outW;
                for (int c = 0; c < span; c += LANES) {
                    int c0 = Math.max(0, Math.min(c, span - LANES));
                    int windows = Math.min(LANES / 2, outW - c0 / 2);
                    if (o + c0 / 2 > yEnd - LANES || top + w + c0 > x.length - LANES) {
                        PoolingOps.maxForwardWindows(x, top, w, 0, y, o, c0 / 2, c0 / 2 + windows);
                        continue;
                    }
                    FloatVector t = FloatVector.fromArray(SPECIES, x, top + c0);
                    FloatVector b = FloatVector.fromArray(SPECIES, x, top + w + c0);
                    FloatVector ts = pairSwapped(t);
                    FloatVector bs = pairSwapped(b);
                    FloatVector m = t.blend(ts, ts.compare(VectorOperators.GT, t));
                    m = m.blend(b, b.compare(VectorOperators.GT, m));
                    m = m.blend(bs, bs.compare(VectorOperators.GT, m));
                    evens(m).intoArray(y, o + c0 / 2);
                }
            }
        }
    }

    /**
     * The vectors of {@link #maxPoolForward}, whose rule both lanes of a pair follow to find which of the window's
     * four inputs is its first maximum; each lane then takes the gradient where it is that input. The gradients are
     * read in place, a vector of LANES for LANES/2 windows. A pair of rows narrower than a vector is stored as two
     * vectors, top then bottom, each reaching past its row: the bottom one overwrites what the top one put in the
     * bottom row, and later vectors (or, for columns and rows no window covers, the zeroing at the end of each
     * plane) what the bottom one put past it. A vector that would read past dy or x or write past the planes goes
     * window by window.
     */
    @Override
    public void maxPoolBackward(float[] x, int in, int h, int w, float[] dy, int out, float[] dx, int din,
                                int planes) {
        int outH = h / 2;
        int outW = w / 2;
        int span = 2 * outW;
        int dxEnd = din + planes * h * w;
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int p = 0; p < planes; p++) {
            int plane = in + p * h * w;
            int gradPlane = din + p * h * w;
            for (int oy = 0; oy < outH; oy++) {
                int top = 2 * oy * w;
                int o = out + (p * outH + oy) * outW;
                for (int c = 0; c < span; c += LANES) {
                    int c0 = Math.max(0, Math.min(c, span - LANES));
                    int windows = Math.min(LANES / 2, outW - c0 / 2);
                    if (o + c0 / 2 > dy.length - LANES || plane + top + w + c0 > x.length - LANES
                            || gradPlane + top + w + c0 > dxEnd - LANES) {
                        PoolingOps.maxBackwardWindows(x, plane, w, top, dy, o, dx, gradPlane, c0 / 2,
                                c0 / 2 + windows);
                        continue;
                    }
                    FloatVector t = FloatVector.fromArray(SPECIES, x, plane + top + c0);
                    FloatVector b = FloatVector.fromArray(SPECIES, x, plane + top + w + c0);
                    FloatVector ts = pairSwapped(t);
                    FloatVector bs = pairSwapped(b);
                    FloatVector topLeft = t.blend(ts, ODD);
                    FloatVector topRight = ts.blend(t, ODD);
                    FloatVector bottomLeft = b.blend(bs, ODD);
                    VectorMask<Float> right = topRight.compare(VectorOperators.GT, topLeft);
                    FloatVector best = topLeft.blend(topRight, right);
                    VectorMask<Float> belowLeft = bottomLeft.compare(VectorOperators.GT, best);
                    best = best.blend(bottomLeft, belowLeft);
                    VectorMask<Float> belowRight = bs.blend(b, ODD).compare(VectorOperators.GT, best);
                    VectorMask<Float> below = belowLeft.or(belowRight);
                    FloatVector g = inPairs(FloatVector.fromArray(SPECIES, dy, o + c0 / 2)).add(0f);
                    // The winner: bottom right where belowRight, else bottom left where belowLeft, else top right
                    // where right, else top left. Left lanes take the gradient where a left input wins, right lanes
                    // where a right one does.
                    VectorMask<Float> topWins = below.not().and(right.eq(ODD));
                    VectorMask<Float> bottomWins = below.and(belowRight.eq(ODD));
                    zero.blend(g, topWins).intoArray(dx, gradPlane + top + c0);
                    zero.blend(g, bottomWins).intoArray(dx, gradPlane + top + w + c0);
                }
            }
            PoolingOps.zeroUncovered(h, w, dx, gradPlane);
        }
    }

    /**
     * The even lanes of v in the first half (the others 0): each pair's 64 bits narrowed to their low 32, which
     * hold the even lane in the Vector API's little-endian reinterpretation. One instruction with AVX-512, where a
     * rearrange costs more; the bits are moved unchanged.
     */
    private static FloatVector evens(FloatVector v) {
        return v.reinterpretAsLongs().convert(VectorOperators.L2I, 0).reinterpretAsFloats();
    }

    /**
     * The first half of v spread over pairs of lanes (a window's gradient to both of its columns): each lane's 32
     * bits widened to 64 (I2L) and copied into the upper half. A few instructions where a rearrange costs more; the
     * bits are moved unchanged.
     */
    private static FloatVector inPairs(FloatVector v) {
        LongVector wide = (LongVector) v.reinterpretAsInts().convert(VectorOperators.I2L, 0);
        LongVector low = wide.and(0xffff_ffffL);
        return low.or(low.lanewise(VectorOperators.LSHL, 32)).reinterpretAsFloats();
    }

    /**
     * The lanes of each pair swapped (the other column of a 2x2 window): each pair's 64 bits rotated by 32, one
     * instruction with AVX-512 and a few with AVX2, where a rearrange costs more; the bits are moved unchanged.
     */
    private static FloatVector pairSwapped(FloatVector v) {
        return v.reinterpretAsLongs().lanewise(VectorOperators.ROR, 32).reinterpretAsFloats();
    }

    /** Column by column, as {@link ScalarLoops#winogradInputFrom}, a vector of tiles at a time. */
    @Override
    public void winogradInput(float[] x, int xo, int phaseStride, int rowShift, float[] v, int vo,
                              int elementStride, int n) {
        int t = 0;
        for (; t <= n - LANES; t += LANES) {
            for (int j = 0; j < 4; j++) {
                FloatVector h0 = winogradRow(x, xo + t, phaseStride, j);
                FloatVector h1 = winogradRow(x, xo + 2 * phaseStride + t, phaseStride, j);
                FloatVector h2 = winogradRow(x, xo + rowShift + t, phaseStride, j);
                FloatVector h3 = winogradRow(x, xo + 2 * phaseStride + rowShift + t, phaseStride, j);
                int out = vo + j * elementStride + t;
                h0.sub(h2).intoArray(v, out);
                h1.add(h2).intoArray(v, out + 4 * elementStride);
                h2.sub(h1).intoArray(v, out + 8 * elementStride);
                h1.sub(h3).intoArray(v, out + 12 * elementStride);
            }
        }
        ScalarLoops.winogradInputFrom(x, xo, phaseStride, rowShift, v, vo, elementStride, t, n);
    }

    /** Column j of a row of d transformed, for a vector of tiles whose row r starts at {@code row}. */
    private static FloatVector winogradRow(float[] x, int row, int phaseStride, int j) {
        return switch (j) {
            case 0 -> FloatVector.fromArray(SPECIES, x, row).sub(FloatVector.fromArray(SPECIES, x, row + 1));
            case 1 -> FloatVector.fromArray(SPECIES, x, row + phaseStride)
                    .add(FloatVector.fromArray(SPECIES, x, row + 1));
            case 2 -> FloatVector.fromArray(SPECIES, x, row + 1)
                    .sub(FloatVector.fromArray(SPECIES, x, row + phaseStride));
            default -> FloatVector.fromArray(SPECIES, x, row + phaseStride)
                    .sub(FloatVector.fromArray(SPECIES, x, row + phaseStride + 1));
        };
    }

    /** As {@link ScalarLoops#winogradOutputFrom}, a vector of tiles at a time. */
    @Override
    public void winogradOutput(float[] m, int mo, int elementStride, float[] y, int yo, int outputStride, int n) {
        int t = 0;
        for (; t <= n - LANES; t += LANES) {
            int at = mo + t;
            FloatVector s0 = winogradColumnSum(m, at, elementStride);
            FloatVector s1 = winogradColumnSum(m, at + elementStride, elementStride);
            FloatVector s2 = winogradColumnSum(m, at + 2 * elementStride, elementStride);
            FloatVector s3 = winogradColumnSum(m, at + 3 * elementStride, elementStride);
            int out = yo + t;
            s0.add(s1).add(s2).intoArray(y, out);
            s1.sub(s2).sub(s3).intoArray(y, out + outputStride);
            FloatVector e0 = winogradColumnDifference(m, at, elementStride);
            FloatVector e1 = winogradColumnDifference(m, at + elementStride, elementStride);
            FloatVector e2 = winogradColumnDifference(m, at + 2 * elementStride, elementStride);
            FloatVector e3 = winogradColumnDifference(m, at + 3 * elementStride, elementStride);
            e0.add(e1).add(e2).intoArray(y, out + 2 * outputStride);
            e1.sub(e2).sub(e3).intoArray(y, out + 3 * outputStride);
        }
        ScalarLoops.winogradOutputFrom(m, mo, elementStride, y, yo, outputStride, t, n);
    }

    /** {@code m[0][j] + m[1][j] + m[2][j]} for the column j that starts at {@code at}. */
    private static FloatVector winogradColumnSum(float[] m, int at, int elementStride) {
        return FloatVector.fromArray(SPECIES, m, at).add(FloatVector.fromArray(SPECIES, m, at + 4 * elementStride))
                .add(FloatVector.fromArray(SPECIES, m, at + 8 * elementStride));
    }

    /** {@code m[1][j] - m[2][j] - m[3][j]} for the column j that starts at {@code at}. */
    private static FloatVector winogradColumnDifference(float[] m, int at, int elementStride) {
        return FloatVector.fromArray(SPECIES, m, at + 4 * elementStride)
                .sub(FloatVector.fromArray(SPECIES, m, at + 8 * elementStride))
                .sub(FloatVector.fromArray(SPECIES, m, at + 12 * elementStride));
    }

    /**
     * A vector of x at a time: its 64-bit pairs narrowed to their low 32 bits (the even float, little-endian) and,
     * shifted down, to their high 32 bits (the odd float), into the first half of a vector stored whole (the
     * second half zero). Conversions within one vector shape: across shapes they are not intrinsics on JDK 17.
     */
    @Override
    public void splitPairs(float[] x, int xo, int n, float[] evens, int eo, float[] odds, int oo, int room) {
        int half = LANES / 2;
        int oddCount = n / 2;
        int i = 0;
        for (; 2 * i < n && i + LANES <= oddCount + room && xo + 2 * i + LANES <= x.length; i += half) {
            LongVector pairs = FloatVector.fromArray(SPECIES, x, xo + 2 * i).reinterpretAsLongs();
            pairs.convert(VectorOperators.L2I, 0).reinterpretAsFloats().intoArray(evens, eo + i);
            pairs.lanewise(VectorOperators.LSHR, 32).convert(VectorOperators.L2I, 0).reinterpretAsFloats()
                    .intoArray(odds, oo + i);
        }
        ScalarLoops.splitPairsFrom(x, xo, n, evens, eo, odds, oo, i);
    }

    /**
     * Half a vector of a and of b at a time, each float's bits widened to 64 (I2L, the first half of a vector): a's
     * kept as the low half of each pair, b's shifted into the high half; the bits move unchanged.
     */
    @Override
    public void interleavePairs(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n, int room) {
        int half = LANES / 2;
        int i = 0;
        for (; 2 * i < n && 2 * i + LANES <= n + room && ao + i + LANES <= a.length && bo + i + LANES <= b.length;
             i += half) {
            LongVector low = ((LongVector) FloatVector.fromArray(SPECIES, a, ao + i).reinterpretAsInts()
                    .convert(VectorOperators.I2L, 0)).and(0xffff_ffffL);
            LongVector high = ((LongVector) FloatVector.fromArray(SPECIES, b, bo + i).reinterpretAsInts()
                    .convert(VectorOperators.I2L, 0)).lanewise(VectorOperators.LSHL, 32);
            low.or(high).reinterpretAsFloats().intoArray(out, oo + 2 * i);
        }
        ScalarLoops.interleavePairsFrom(a, ao, b, bo, out, oo, n, i);
    }

    /**
     * An image row no wider than a vector is loaded once; for each kernel column j, lane x adds the run's entry
     * {@code x - j + padding} where the lane lies in the run and the row (a mask from comparing {@link #IOTA}:
     * masks from {@code indexInRange} with varying bounds are built without intrinsics here, slower than the
     * scalar loop), and the row is stored once, the lanes past it unchanged, as room allows. Rows whose vectors
     * would reach outside the column matrix go one float at a time.
     */
    @Override
    public void foldRow(float[] columns, int first, int jStride, int kw, int outW, int padding, float[] image,
                        int row, int w, int room) {
        int lowest = first + padding - (kw - 1);
        int highest = first + (kw - 1) * jStride + padding;
        if (w > LANES || room < LANES || lowest < 0 || highest > columns.length - LANES) {
            ScalarLoops.foldRowPlain(columns, first, jStride, kw, outW, padding, image, row, w);
            return;
        }
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector acc = FloatVector.fromArray(SPECIES, image, row);
        for (int j = 0; j < kw; j++) {
            int lo = Math.max(0, j - padding);
            int hi = Math.min(w, j - padding + outW);
            // lanes x with lo <= x < hi, that is |x - (lo + hi - 1) / 2| < (hi - lo) / 2 (exact for small ints)
            VectorMask<Float> lanes = IOTA.sub((lo + hi - 1) * 0.5f).abs().compare(VectorOperators.LT,
                    (hi - lo) * 0.5f);
            FloatVector run = FloatVector.fromArray(SPECIES, columns, first + j * jStride + padding - j);
            acc = acc.add(zero.blend(run, lanes));
        }
        acc.intoArray(image, row);
    }
}
