package dev.cortado.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cortado.backend.GemmSpec;
import dev.cortado.testing.ReferenceOps;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The row-major to column-major translation for cuBLAS, without a GPU: the translated call, evaluated as cuBLAS
 * defines SGEMM (column-major, with its argument rules), gives what {@link ReferenceOps#gemm} gives for the spec.
 */
class ColumnMajorGemmTest {
    private final Random random = new Random(20261129);

    /** How a batch is laid out. */
    enum Layout { SINGLE, GAPPED, SHARED_A, SHARED_B }

    static Stream<Arguments> cases() {
        int[][] mnk = {{1, 1, 1}, {7, 13, 5}, {65, 33, 129}, {3, 1, 17}, {1, 40, 2}};
        Stream.Builder<Arguments> all = Stream.builder();
        for (int[] s : mnk) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (Layout layout : Layout.values()) {
                        all.add(Arguments.of(ta, tb, s[0], s[1], s[2], layout));
                    }
                }
            }
        }
        return all.build();
    }

    private static GemmSpec spec(boolean ta, boolean tb, int m, int n, int k, Layout layout) {
        GemmSpec one = GemmSpec.of(ta, tb, m, n, k);
        long a = (long) m * k;
        long b = (long) k * n;
        long c = (long) m * n;
        return switch (layout) {
            case SINGLE -> one.scaled(1.5f, 0f);
            case GAPPED -> one.scaled(-0.5f, 0.25f).batched(3, a + 2, b + 5, c + 3);
            case SHARED_A -> one.scaled(2f, 1f).batched(2, 0, b, c);
            case SHARED_B -> one.scaled(0.75f, -1f).batched(4, a, 0, c + 1);
        };
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4} {5}")
    @MethodSource("cases")
    void theTranslatedCallComputesWhatTheReferenceGemmComputes(boolean ta, boolean tb, int m, int n, int k,
                                                               Layout layout) {
        GemmSpec spec = spec(ta, tb, m, n, k, layout);
        float[] a = randoms(spec.extentA());
        float[] b = randoms(spec.extentB());
        float[] c = randoms(spec.extentC());
        if (spec.beta() == 0) {
            Arrays.fill(c, Float.NaN);
        }
        float[] expected = ReferenceOps.gemm(spec, a, b, c);
        ColumnMajorGemm g = ColumnMajorGemm.of(spec);
        float[] actual = c.clone();
        cublasSgemm(g, g.first() == ColumnMajorGemm.Operand.A ? a : b, g.second() == ColumnMajorGemm.Operand.A ? a : b,
                actual);
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 1e-5 * Math.sqrt(k) * Math.max(1, Math.abs(expected[i]));
            if (!(Math.abs(expected[i] - actual[i]) <= tolerance)) {
                fail(spec + " as " + g + ": element " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    @Test
    void rowMajorOperandsSwapPlacesAndKeepTheirFlags() {
        GemmSpec spec = GemmSpec.of(true, false, 4, 6, 5).scaled(2f, 3f).batched(2, 30, 40, 50);
        ColumnMajorGemm g = ColumnMajorGemm.of(spec);
        assertEquals(new ColumnMajorGemm(false, true, 6, 4, 5, 2f, ColumnMajorGemm.Operand.B, 6, 40,
                ColumnMajorGemm.Operand.A, 4, 30, 3f, 6, 50, 2), g);
    }

    @Test
    void emptyInnerDimensionsAreNotCublasCalls() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ColumnMajorGemm.of(GemmSpec.of(false, true, 3, 4, 0)));
        assertTrue(e.getMessage().contains("k >= 1"), e.getMessage());
    }

    private float[] randoms(long n) {
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }

    /**
     * SGEMM as cuBLAS documents it, column-major: C = alpha op(A) op(B) + beta C, op(A) m x k, op(B) k x n, batch
     * i at i * stride; C is not read when beta is 0. Fails on arguments cuBLAS would reject.
     */
    private static void cublasSgemm(ColumnMajorGemm g, float[] first, float[] second, float[] c) {
        assertTrue(g.ldFirst() >= Math.max(1, g.transFirst() ? g.k() : g.m()), "lda too small: " + g);
        assertTrue(g.ldSecond() >= Math.max(1, g.transSecond() ? g.n() : g.k()), "ldb too small: " + g);
        assertTrue(g.ldc() >= Math.max(1, g.m()), "ldc too small: " + g);
        for (int p = 0; p < g.batch(); p++) {
            long fa = p * g.strideFirst();
            long fb = p * g.strideSecond();
            long fc = p * g.strideC();
            for (int j = 0; j < g.n(); j++) {
                for (int i = 0; i < g.m(); i++) {
                    double sum = 0;
                    for (int l = 0; l < g.k(); l++) {
                        float x = first[(int) (fa + (g.transFirst() ? l + (long) i * g.ldFirst()
                                : i + (long) l * g.ldFirst()))];
                        float y = second[(int) (fb + (g.transSecond() ? j + (long) l * g.ldSecond()
                                : l + (long) j * g.ldSecond()))];
                        sum += (double) x * y;
                    }
                    int at = (int) (fc + i + (long) j * g.ldc());
                    c[at] = (float) (g.alpha() * sum + (g.beta() == 0 ? 0 : g.beta() * (double) c[at]));
                }
            }
        }
    }
}
