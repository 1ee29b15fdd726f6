package dev.cortado.cpu.gemm;

import dev.cortado.backend.GemmSpec;

/**
 * Run by {@link SgemmTest} in a JVM started without {@code --add-modules jdk.incubator.vector}: prints which
 * kernel {@link Sgemm} chose and checks one product, which must not touch a Vector API class.
 */
public final class WithoutVectorModule {
    static final String CORRECT = "product correct";

    private WithoutVectorModule() {
    }

    public static void main(String[] args) {
        System.out.println(Sgemm.describe());
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] b = {7, 8, 9, 10, 11, 12};
        float[] c = new float[4];
        Sgemm.compute(GemmSpec.of(false, false, 2, 2, 3), a, 0, b, 0, c, 0);
        boolean correct = c[0] == 58 && c[1] == 64 && c[2] == 139 && c[3] == 154;
        System.out.println(correct ? CORRECT : "product wrong: " + java.util.Arrays.toString(c));
    }
}
