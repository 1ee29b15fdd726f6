package dev.cortado.cpu.gemm;

import static org.junit.jupiter.api.Assertions.fail;

import dev.cortado.backend.GemmSpec;
import dev.cortado.testing.ReferenceOps;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One GEMM with random operands placed at offsets in larger arrays, and the check that a computed C matches the
 * double-precision reference while every float of C's array outside the batch's matrices is left alone.
 */
final class GemmCase {
    /** Marks C's floats that no matrix of the batch covers; they must survive the product. */
    static final float UNTOUCHED = -12345.5f;

    final GemmSpec spec;
    final float[] a;
    final float[] b;
    final float[] c;
    final int aOffset;
    final int bOffset;
    final int cOffset;
    private final float[] cBefore;

    /**
     * Random A and B in [-1, 1) (never 0); C random too when beta is non-zero, else NaN, so a product that reads
     * C when it must not fails.
     */
    GemmCase(GemmSpec spec, int aOffset, int bOffset, int cOffset, long seed) {
        this.spec = spec;
        this.aOffset = aOffset;
        this.bOffset = bOffset;
        this.cOffset = cOffset;
        SplittableRandom random = new SplittableRandom(seed);
        a = randomArray(aOffset + (int) spec.extentA() + 3, random);
        b = randomArray(bOffset + (int) spec.extentB() + 3, random);
        c = new float[cOffset + (int) spec.extentC() + 3];
        Arrays.fill(c, UNTOUCHED);
        for (int i = 0; i < spec.batch(); i++) {
            int start = cOffset + (int) (i * spec.strideC());
            for (int j = start; j < start + spec.m() * spec.n(); j++) {
                c[j] = spec.beta() == 0f ? Float.NaN : nonZero(random);
            }
        }
        cBefore = c.clone();
    }

    GemmCase(GemmSpec spec, long seed) {
        this(spec, 0, 0, 0, seed);
    }

    private static float[] randomArray(int length, SplittableRandom random) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = nonZero(random);
        }
        return x;
    }

    private static float nonZero(SplittableRandom random) {
        float v = (float) random.nextDouble(-1, 1);
        return v == 0f ? 0.5f : v;
    }

    void runOn(BlockedGemm gemm) {
        gemm.compute(spec, a, aOffset, b, bOffset, c, cOffset);
    }

    /**
     * Checks C against {@link ReferenceOps#gemm} (which sums in double), with a tolerance of 1e-5 * sqrt(k)
     * relative to C's largest value.
     */
    void check(String label) {
        int m = spec.m();
        int n = spec.n();
        int k = spec.k();
        float[] reference = ReferenceOps.gemm(spec, Arrays.copyOfRange(a, aOffset, a.length),
                Arrays.copyOfRange(b, bOffset, b.length), Arrays.copyOfRange(cBefore, cOffset, cBefore.length));
        boolean[] inside = new boolean[c.length];
        for (int batch = 0; batch < spec.batch(); batch++) {
            int co = cOffset + (int) (batch * spec.strideC());
            int ro = co - cOffset;
            double scale = 1;
            for (int e = 0; e < m * n; e++) {
                scale = Math.max(scale, Math.abs(reference[ro + e]));
            }
            double tolerance = 1e-5 * Math.sqrt(Math.max(1, k)) * scale;
            for (int e = 0; e < m * n; e++) {
                inside[co + e] = true;
                double error = Math.abs((double) c[co + e] - reference[ro + e]);
                if (!(error <= tolerance)) {
                    fail(label + " " + spec + ": batch " + batch + " C[" + e / n + "][" + e % n + "] = " + c[co + e]
                            + ", expected " + reference[ro + e] + " (tolerance " + tolerance + ")");
                }
            }
        }
        for (int i = 0; i < c.length; i++) {
            if (!inside[i] && Float.floatToRawIntBits(c[i]) != Float.floatToRawIntBits(cBefore[i])) {
                fail(label + " " + spec + ": wrote C's array at " + i + ", outside every matrix of the batch");
            }
        }
    }
}
