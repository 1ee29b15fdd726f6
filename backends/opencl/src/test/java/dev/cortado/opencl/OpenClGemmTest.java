package dev.cortado.opencl;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.backend.GemmSpec;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.ReferenceOps;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The tiled GEMM kernel against {@link ReferenceOps#gemm}: transposes, edges, batches, alpha and beta. */
class OpenClGemmTest extends OpenClFixture {

    static Stream<Arguments> shapes() {
        int[][] mnk = {{1, 1, 1}, {7, 13, 5}, {65, 33, 129}, {64, 64, 16}, {130, 1, 3}, {1, 200, 17}, {3, 5, 0}};
        Stream.Builder<Arguments> all = Stream.builder();
        for (int[] s : mnk) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    all.add(Arguments.of(ta, tb, s[0], s[1], s[2]));
                }
            }
        }
        return all.build();
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4}")
    @MethodSource("shapes")
    void singleProductWithBetaZeroIgnoresNanInC(boolean ta, boolean tb, int m, int n, int k) {
        check(GemmSpec.of(ta, tb, m, n, k).scaled(1.5f, 0f), true);
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4}")
    @MethodSource("shapes")
    void batchedWithSharedBAndGapsBetweenOutputs(boolean ta, boolean tb, int m, int n, int k) {
        GemmSpec spec = GemmSpec.of(ta, tb, m, n, k).scaled(-0.5f, 0.25f)
                .batched(3, (long) m * k + 2, 0, (long) m * n + 3);
        check(spec, false);
    }

    /** Large enough for CLBlast's indirect (padded) path, where C goes through a temporary buffer. */
    @ParameterizedTest(name = "transA={0} transB={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void largeProductWithBetaZeroIgnoresNanInC(boolean ta, boolean tb) {
        check(GemmSpec.of(ta, tb, 401, 390, 385).scaled(1f, 0f), true);
    }

    @Test
    void rejectsTooSmallOperands() {
        Tensor a = backend.allocate(Shape.of(4, 5));
        Tensor b = backend.allocate(Shape.of(5, 6));
        Tensor c = backend.allocate(Shape.of(4, 5));
        assertThrows(IllegalArgumentException.class, () -> backend.gemm(GemmSpec.of(false, false, 4, 6, 5), a, b, c));
    }

    private void check(GemmSpec spec, boolean poisonC) {
        float[] a = randoms(Math.toIntExact(spec.extentA()));
        float[] b = randoms(Math.toIntExact(spec.extentB()));
        float[] c = randoms(Math.toIntExact(spec.extentC()));
        if (poisonC) {
            java.util.Arrays.fill(c, Float.NaN);
        }
        float[] expected = ReferenceOps.gemm(spec, a, b, c);
        Tensor ta = tensor(Shape.of(a.length), a);
        Tensor tb = tensor(Shape.of(b.length), b);
        Tensor tc = tensor(Shape.of(c.length), c);
        backend.gemm(spec, ta, tb, tc);
        assertClose(expected, tc.toArray(), 1e-5 * Math.sqrt(spec.k() + 1) * 4, spec.toString());
    }
}
