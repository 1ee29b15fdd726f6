package dev.cortado.cpu.gemm;

import dev.cortado.backend.GemmSpec;

/**
 * Single-precision GEMM on Java arrays, as {@link GemmSpec} defines it.
 * PLACEHOLDER: a correct, slow triple loop until the cache-blocked, vectorized kernel lands.
 */
public final class Sgemm {
    private Sgemm() {
    }

    /** Which kernel serves GEMM on this JVM, for {@code cortado devices}. */
    public static String describe() {
        return "scalar triple loop";
    }

    /** Computes the product; matrices start at the given offsets of their arrays. */
    public static void compute(GemmSpec s, float[] a, int aOffset, float[] b, int bOffset, float[] c,
                               int cOffset) {
        for (int batch = 0; batch < s.batch(); batch++) {
            int ao = aOffset + (int) (batch * s.strideA());
            int bo = bOffset + (int) (batch * s.strideB());
            int co = cOffset + (int) (batch * s.strideC());
            for (int i = 0; i < s.m(); i++) {
                for (int j = 0; j < s.n(); j++) {
                    float acc = 0;
                    for (int p = 0; p < s.k(); p++) {
                        float x = s.transA() ? a[ao + p * s.m() + i] : a[ao + i * s.k() + p];
                        float y = s.transB() ? b[bo + j * s.k() + p] : b[bo + p * s.n() + j];
                        acc += x * y;
                    }
                    int ci = co + i * s.n() + j;
                    c[ci] = s.beta() == 0f ? s.alpha() * acc : s.alpha() * acc + s.beta() * c[ci];
                }
            }
        }
    }
}
