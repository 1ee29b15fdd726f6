package dev.cortado.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked kernels on the Vector API. Tiles are {@link #MR} x (2 vectors): two loads of B and a broadcast
 * of A per row and step of k, each broadcast feeding two fused multiply-adds. With 512-bit vectors (AVX-512, 32
 * registers) a tile is 8 x 32, sixteen accumulators; with 256-bit vectors (AVX2, 16 registers) it is 6 x 16, twelve
 * accumulators, which with their operands fill the register file. Dot products come in blocks of {@link #DOT_ROWS}
 * rows of A by 4 rows of B, a vector of k at a time.
 *
 * <p>{@link Sgemm} refers to this class only when the {@code jdk.incubator.vector} module is present, so that a
 * JVM without it never loads a Vector API class.
 */
final class VectorKernel implements MicroKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /**
     * Rows per tile: eight where the hardware has 32 vector registers (AVX-512: sixteen accumulators, two loads of
     * B and a broadcast fit), six where it has 16 (AVX2). Eight rows also divide the channel counts of the
     * built-in convolutions (16, 32, 64), which six leave a partial tile of.
     */
    private static final int MR = LANES >= 16 ? 8 : 6;
    /**
     * Rows of A per block of dot products: four with 32 registers (sixteen accumulators), which also divides the
     * row counts of the built-in weight gradients (16, 32, 64 output channels) and batches, where three computed
     * up to a tenth of their rows twice; three with 16 registers (twelve accumulators).
     */
    private static final int DOT_ROWS = LANES >= 16 ? 4 : 3;
    private static final int DOT_COLS = 4;
    /**
     * The levels of {@link #dotsOfFour}'s sum tree with 16 lanes (null with other widths): the lanes a level takes
     * from its second vector, and the swap that lines them up with the first's.
     */
    private static final VectorMask<Float> UPPER_EIGHT = treeMask(0xFF00L);
    private static final VectorMask<Float> UPPER_FOURS = treeMask(0xF0F0L);
    private static final VectorMask<Float> UPPER_TWOS = treeMask(0xCCCCL);
    private static final VectorMask<Float> ODD_LANES = treeMask(0xAAAAL);
    private static final VectorShuffle<Float> SWAP_EIGHT = treeSwap(8);
    private static final VectorShuffle<Float> SWAP_FOURS = treeSwap(4);
    private static final VectorShuffle<Float> SWAP_TWOS = treeSwap(2);
    private static final VectorShuffle<Float> SWAP_ONES = treeSwap(1);

    private VectorKernel() {
    }

    private static VectorMask<Float> treeMask(long lanes) {
        return LANES == 16 ? VectorMask.fromLong(SPECIES, lanes) : null;
    }

    private static VectorShuffle<Float> treeSwap(int distance) {
        return LANES == 16 ? VectorShuffle.fromOp(SPECIES, i -> i ^ distance) : null;
    }

    /**
     * The kernel, or null where the preferred vector shape is narrower than four floats (the Vector API would
     * then run in software, slower than the scalar kernel).
     */
    static MicroKernel createIfUseful() {
        return LANES >= 4 ? new VectorKernel() : null;
    }

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return 2 * LANES;
    }

    @Override
    public int dotRows() {
        return DOT_ROWS;
    }

    @Override
    public int dotCols() {
        return DOT_COLS;
    }

    /**
     * 6 with 16 lanes, whose blocks of dot products end in one shared sum tree, 8 with 8 lanes (both measured on
     * AMD Zen 4, the second at {@code -XX:UseAVX=2}); 64, as the scalar kernel, with narrower vectors (not measured).
     */
    @Override
    public int dotDepthPerRow() {
        return LANES >= 16 ? 6 : LANES >= 8 ? 8 : 64;
    }

    @Override
    public String describe() {
        return "Vector API " + MR + "x" + 2 * LANES + " (" + SPECIES.vectorBitSize() + "-bit FloatVector, fma)";
    }

    @Override
    public void tile(int kc, float[] a, int ai, float[] b, int bi, int ldb, float[] c, int ci, int ldc) {
        if (MR == 8) {
            tileOfEight(kc, a, ai, b, bi, ldb, c, ci, ldc);
        } else {
            tileOfSix(kc, a, ai, b, bi, ldb, c, ci, ldc);
        }
    }

    private static void tileOfSix(int kc, float[] a, int ai, float[] b, int bi, int ldb, float[] c, int ci,
                                  int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            ai += 6;
            bi += ldb;
        }
        // Written out rather than through a helper: C2 declines to inline a helper that C1 has already compiled
        // large, and a vector passed to a call that is not inlined is boxed on the heap, four times slower.
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + LANES);
        ci += ldc;
        c10.intoArray(c, ci);
        c11.intoArray(c, ci + LANES);
        ci += ldc;
        c20.intoArray(c, ci);
        c21.intoArray(c, ci + LANES);
        ci += ldc;
        c30.intoArray(c, ci);
        c31.intoArray(c, ci + LANES);
        ci += ldc;
        c40.intoArray(c, ci);
        c41.intoArray(c, ci + LANES);
        ci += ldc;
        c50.intoArray(c, ci);
        c51.intoArray(c, ci + LANES);
    }

    private static void tileOfEight(int kc, float[] a, int ai, float[] b, int bi, int ldb, float[] c, int ci,
                                    int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        FloatVector c60 = c00;
        FloatVector c61 = c00;
        FloatVector c70 = c00;
        FloatVector c71 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(SPECIES, a[ai + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(SPECIES, a[ai + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            ai += 8;
            bi += ldb;
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + LANES);
        ci += ldc;
        c10.intoArray(c, ci);
        c11.intoArray(c, ci + LANES);
        ci += ldc;
        c20.intoArray(c, ci);
        c21.intoArray(c, ci + LANES);
        ci += ldc;
        c30.intoArray(c, ci);
        c31.intoArray(c, ci + LANES);
        ci += ldc;
        c40.intoArray(c, ci);
        c41.intoArray(c, ci + LANES);
        ci += ldc;
        c50.intoArray(c, ci);
        c51.intoArray(c, ci + LANES);
        ci += ldc;
        c60.intoArray(c, ci);
        c61.intoArray(c, ci + LANES);
        ci += ldc;
        c70.intoArray(c, ci);
        c71.intoArray(c, ci + LANES);
    }

    /** A row's two vectors at a time: {@code alpha * tile} (and {@code + beta * out}) lane by lane. */
    @Override
    public void mergeTile(float[] tile, float[] out, int oi, int ldo, float alpha, float beta) {
        for (int r = 0; r < MR; r++) {
            for (int j = 0; j < 2 * LANES; j += LANES) {
                int t = r * 2 * LANES + j;
                int at = oi + r * ldo + j;
                FloatVector scaled = FloatVector.fromArray(SPECIES, tile, t).mul(alpha);
                if (beta == 0f) {
                    scaled.intoArray(out, at);
                } else {
                    scaled.add(FloatVector.fromArray(SPECIES, out, at).mul(beta)).intoArray(out, at);
                }
            }
        }
    }

    @Override
    public void dots(int len, float[] a, int ai, int lda, int rows, float[] b, int bi, int ldb, int cols,
                     float[] out, int oi, int ldo, float alpha, float beta) {
        if (DOT_ROWS == 4) {
            dotsOfFour(len, a, ai, lda, rows, b, bi, ldb, cols, out, oi, ldo, alpha, beta);
        } else {
            dotsOfThree(len, a, ai, lda, rows, b, bi, ldb, cols, out, oi, ldo, alpha, beta);
        }
    }

    /**
     * A 3 x 4 block: twelve accumulators, which with their operands fill AVX2's 16 registers. Written out apart
     * from {@link #dotsOfFour}, as the tiles are, because its vectors cannot pass through a shared helper unboxed.
     */
    private static void dotsOfThree(int len, float[] a, int ai, int lda, int rows, float[] b, int bi, int ldb,
                                    int cols, float[] out, int oi, int ldo, float alpha, float beta) {
        int a0 = ai;
        int a1 = ai + Math.min(1, rows - 1) * lda;
        int a2 = ai + Math.min(2, rows - 1) * lda;
        int b0 = bi;
        int b1 = bi + Math.min(1, cols - 1) * ldb;
        int b2 = bi + Math.min(2, cols - 1) * ldb;
        int b3 = bi + Math.min(3, cols - 1) * ldb;
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
        int vectorLen = SPECIES.loopBound(len);
        for (int p = 0; p < vectorLen; p += LANES) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(SPECIES, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(SPECIES, a, a2 + p);
            FloatVector y = FloatVector.fromArray(SPECIES, b, b0 + p);
            s00 = x0.fma(y, s00);
            s10 = x1.fma(y, s10);
            s20 = x2.fma(y, s20);
            y = FloatVector.fromArray(SPECIES, b, b1 + p);
            s01 = x0.fma(y, s01);
            s11 = x1.fma(y, s11);
            s21 = x2.fma(y, s21);
            y = FloatVector.fromArray(SPECIES, b, b2 + p);
            s02 = x0.fma(y, s02);
            s12 = x1.fma(y, s12);
            s22 = x2.fma(y, s22);
            y = FloatVector.fromArray(SPECIES, b, b3 + p);
            s03 = x0.fma(y, s03);
            s13 = x1.fma(y, s13);
            s23 = x2.fma(y, s23);
        }
        float d00 = s00.reduceLanes(VectorOperators.ADD);
        float d01 = s01.reduceLanes(VectorOperators.ADD);
        float d02 = s02.reduceLanes(VectorOperators.ADD);
        float d03 = s03.reduceLanes(VectorOperators.ADD);
        float d10 = s10.reduceLanes(VectorOperators.ADD);
        float d11 = s11.reduceLanes(VectorOperators.ADD);
        float d12 = s12.reduceLanes(VectorOperators.ADD);
        float d13 = s13.reduceLanes(VectorOperators.ADD);
        float d20 = s20.reduceLanes(VectorOperators.ADD);
        float d21 = s21.reduceLanes(VectorOperators.ADD);
        float d22 = s22.reduceLanes(VectorOperators.ADD);
        float d23 = s23.reduceLanes(VectorOperators.ADD);
        for (int p = vectorLen; p < len; p++) {
            float x0 = a[a0 + p];
            float x1 = a[a1 + p];
            float x2 = a[a2 + p];
            float y0 = b[b0 + p];
            float y1 = b[b1 + p];
            float y2 = b[b2 + p];
            float y3 = b[b3 + p];
            d00 += x0 * y0;
            d01 += x0 * y1;
            d02 += x0 * y2;
            d03 += x0 * y3;
            d10 += x1 * y0;
            d11 += x1 * y1;
            d12 += x1 * y2;
            d13 += x1 * y3;
            d20 += x2 * y0;
            d21 += x2 * y1;
            d22 += x2 * y2;
            d23 += x2 * y3;
        }
        RowOfFour.write(d00, d01, d02, d03, out, oi, alpha, beta);
        RowOfFour.write(d10, d11, d12, d13, out, oi + ldo, alpha, beta);
        RowOfFour.write(d20, d21, d22, d23, out, oi + 2 * ldo, alpha, beta);
    }

    /** A 4 x 4 block: sixteen accumulators, for 512-bit vectors and their 32 registers. */
    private static void dotsOfFour(int len, float[] a, int ai, int lda, int rows, float[] b, int bi, int ldb,
                                   int cols, float[] out, int oi, int ldo, float alpha, float beta) {
        int a0 = ai;
        int a1 = ai + Math.min(1, rows - 1) * lda;
        int a2 = ai + Math.min(2, rows - 1) * lda;
        int a3 = ai + Math.min(3, rows - 1) * lda;
        int b0 = bi;
        int b1 = bi + Math.min(1, cols - 1) * ldb;
        int b2 = bi + Math.min(2, cols - 1) * ldb;
        int b3 = bi + Math.min(3, cols - 1) * ldb;
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
        int vectorLen = SPECIES.loopBound(len);
        for (int p = 0; p < vectorLen; p += LANES) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(SPECIES, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(SPECIES, a, a2 + p);
            FloatVector x3 = FloatVector.fromArray(SPECIES, a, a3 + p);
            FloatVector y = FloatVector.fromArray(SPECIES, b, b0 + p);
            s00 = x0.fma(y, s00);
            s10 = x1.fma(y, s10);
            s20 = x2.fma(y, s20);
            s30 = x3.fma(y, s30);
            y = FloatVector.fromArray(SPECIES, b, b1 + p);
            s01 = x0.fma(y, s01);
            s11 = x1.fma(y, s11);
            s21 = x2.fma(y, s21);
            s31 = x3.fma(y, s31);
            y = FloatVector.fromArray(SPECIES, b, b2 + p);
            s02 = x0.fma(y, s02);
            s12 = x1.fma(y, s12);
            s22 = x2.fma(y, s22);
            s32 = x3.fma(y, s32);
            y = FloatVector.fromArray(SPECIES, b, b3 + p);
            s03 = x0.fma(y, s03);
            s13 = x1.fma(y, s13);
            s23 = x2.fma(y, s23);
            s33 = x3.fma(y, s33);
        }
        float d00;
        float d01;
        float d02;
        float d03;
        float d10;
        float d11;
        float d12;
        float d13;
        float d20;
        float d21;
        float d22;
        float d23;
        float d30;
        float d31;
        float d32;
        float d33;
        if (LANES == 16) {
            // The sixteen sums at once, a tree of four levels: each adds two vectors' lanes, half of each, into one
            // vector, until one holds every sum (s_rc's in lane bitreverse(4r + c)). 12% faster than sixteen
            // reductions across the lanes at 784 floats, 26% at 256.
            FloatVector t0 = s00.blend(s01, UPPER_EIGHT).add(s01.blend(s00, UPPER_EIGHT).rearrange(SWAP_EIGHT));
            FloatVector t1 = s02.blend(s03, UPPER_EIGHT).add(s03.blend(s02, UPPER_EIGHT).rearrange(SWAP_EIGHT));
            FloatVector t2 = s10.blend(s11, UPPER_EIGHT).add(s11.blend(s10, UPPER_EIGHT).rearrange(SWAP_EIGHT));
            FloatVector t3 = s12.blend(s13, UPPER_EIGHT).add(s13.blend(s12, UPPER_EIGHT).rearrange(SWAP_EIGHT));
            FloatVector t4 = s20.blend(s21, UPPER_EIGHT).add(s21.blend(s20, UPPER_EIGHT).rearrange(SWAP_EIGHT));
            FloatVector t5 = s22.blend(s23, UPPER_EIGHT).add(s23.blend(s22, UPPER_EIGHT).rearrange(SWAP_EIGHT));
            FloatVector t6 = s30.blend(s31, UPPER_EIGHT).add(s31.blend(s30, UPPER_EIGHT).rearrange(SWAP_EIGHT));
            FloatVector t7 = s32.blend(s33, UPPER_EIGHT).add(s33.blend(s32, UPPER_EIGHT).rearrange(SWAP_EIGHT));
            FloatVector u0 = t0.blend(t1, UPPER_FOURS).add(t1.blend(t0, UPPER_FOURS).rearrange(SWAP_FOURS));
            FloatVector u1 = t2.blend(t3, UPPER_FOURS).add(t3.blend(t2, UPPER_FOURS).rearrange(SWAP_FOURS));
            FloatVector u2 = t4.blend(t5, UPPER_FOURS).add(t5.blend(t4, UPPER_FOURS).rearrange(SWAP_FOURS));
            FloatVector u3 = t6.blend(t7, UPPER_FOURS).add(t7.blend(t6, UPPER_FOURS).rearrange(SWAP_FOURS));
            FloatVector v0 = u0.blend(u1, UPPER_TWOS).add(u1.blend(u0, UPPER_TWOS).rearrange(SWAP_TWOS));
            FloatVector v1 = u2.blend(u3, UPPER_TWOS).add(u3.blend(u2, UPPER_TWOS).rearrange(SWAP_TWOS));
            FloatVector w = v0.blend(v1, ODD_LANES).add(v1.blend(v0, ODD_LANES).rearrange(SWAP_ONES));
            d00 = w.lane(0);
            d01 = w.lane(8);
            d02 = w.lane(4);
            d03 = w.lane(12);
            d10 = w.lane(2);
            d11 = w.lane(10);
            d12 = w.lane(6);
            d13 = w.lane(14);
            d20 = w.lane(1);
            d21 = w.lane(9);
            d22 = w.lane(5);
            d23 = w.lane(13);
            d30 = w.lane(3);
            d31 = w.lane(11);
            d32 = w.lane(7);
            d33 = w.lane(15);
        } else {
            d00 = s00.reduceLanes(VectorOperators.ADD);
            d01 = s01.reduceLanes(VectorOperators.ADD);
            d02 = s02.reduceLanes(VectorOperators.ADD);
            d03 = s03.reduceLanes(VectorOperators.ADD);
            d10 = s10.reduceLanes(VectorOperators.ADD);
            d11 = s11.reduceLanes(VectorOperators.ADD);
            d12 = s12.reduceLanes(VectorOperators.ADD);
            d13 = s13.reduceLanes(VectorOperators.ADD);
            d20 = s20.reduceLanes(VectorOperators.ADD);
            d21 = s21.reduceLanes(VectorOperators.ADD);
            d22 = s22.reduceLanes(VectorOperators.ADD);
            d23 = s23.reduceLanes(VectorOperators.ADD);
            d30 = s30.reduceLanes(VectorOperators.ADD);
            d31 = s31.reduceLanes(VectorOperators.ADD);
            d32 = s32.reduceLanes(VectorOperators.ADD);
            d33 = s33.reduceLanes(VectorOperators.ADD);
        }
        for (int p = vectorLen; p < len; p++) {
            float x0 = a[a0 + p];
            float x1 = a[a1 + p];
            float x2 = a[a2 + p];
            float x3 = a[a3 + p];
            float y0 = b[b0 + p];
            float y1 = b[b1 + p];
            float y2 = b[b2 + p];
            float y3 = b[b3 + p];
            d00 += x0 * y0;
            d01 += x0 * y1;
            d02 += x0 * y2;
            d03 += x0 * y3;
            d10 += x1 * y0;
            d11 += x1 * y1;
            d12 += x1 * y2;
            d13 += x1 * y3;
            d20 += x2 * y0;
            d21 += x2 * y1;
            d22 += x2 * y2;
            d23 += x2 * y3;
            d30 += x3 * y0;
            d31 += x3 * y1;
            d32 += x3 * y2;
            d33 += x3 * y3;
        }
        RowOfFour.write(d00, d01, d02, d03, out, oi, alpha, beta);
        RowOfFour.write(d10, d11, d12, d13, out, oi + ldo, alpha, beta);
        RowOfFour.write(d20, d21, d22, d23, out, oi + 2 * ldo, alpha, beta);
        RowOfFour.write(d30, d31, d32, d33, out, oi + 3 * ldo, alpha, beta);
    }
}
