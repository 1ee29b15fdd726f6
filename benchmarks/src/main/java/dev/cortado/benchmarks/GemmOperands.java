package dev.cortado.benchmarks;

import dev.cortado.backend.GemmSpec;
import dev.cortado.cpu.gemm.Sgemm;
import java.util.SplittableRandom;

/** Random A, B and C for one product, and the product itself. */
final class GemmOperands {
    private final GemmSpec spec;
    private final float[] a;
    private final float[] b;
    private final float[] c;

    GemmOperands(GemmSpec spec) {
        this.spec = spec;
        SplittableRandom random = new SplittableRandom(42);
        a = random(spec.extentA(), random);
        b = random(spec.extentB(), random);
        c = random(spec.extentC(), random);
    }

    private static float[] random(long size, SplittableRandom random) {
        float[] x = new float[Math.toIntExact(size)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        return x;
    }

    /** Runs the product; returns C so the benchmark consumes it. */
    float[] multiply() {
        Sgemm.compute(spec, a, 0, b, 0, c, 0);
        return c;
    }
}
