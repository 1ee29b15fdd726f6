package dev.cortado.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.backend.GemmSpec;
import dev.cortado.backend.SgdStep;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Matrix products: every transpose, alpha and beta, and strided batches. */
public interface GemmConformance extends BackendTestContext {

    /**
     * (m, n, k): each of 1, 7, 33, 65 and 130 in every position, so sizes fall on, just past and far from every
     * tile edge, plus one product with k = 257.
     */
    List<int[]> SHAPES = List.of(
            new int[] {1, 1, 1}, new int[] {1, 7, 33}, new int[] {7, 1, 65}, new int[] {33, 65, 1},
            new int[] {65, 130, 7}, new int[] {130, 33, 65}, new int[] {7, 65, 130}, new int[] {130, 130, 130},
            new int[] {33, 7, 257});

    /** How the matrices of a batch are placed. */
    enum Strides {
        /** Back to back. */
        PACKED,
        /** With gaps between matrices, which must stay untouched in C. */
        GAPPED,
        /** One A for every product (stride 0). */
        SHARED_A,
        /** One B for every product (stride 0). */
        SHARED_B;

        GemmSpec apply(GemmSpec spec, int batch) {
            long a = (long) spec.m() * spec.k();
            long b = (long) spec.k() * spec.n();
            long c = (long) spec.m() * spec.n();
            return switch (this) {
                case PACKED -> spec.batched(batch, a, b, c);
                case GAPPED -> spec.batched(batch, a + 3, b + 5, c + 7);
                case SHARED_A -> spec.batched(batch, 0, b, c);
                case SHARED_B -> spec.batched(batch, a, 0, c);
            };
        }
    }

    static Stream<Arguments> products() {
        return ConformanceCases.product(List.of(false, true), List.of(false, true), SHAPES);
    }

    static Stream<Arguments> scaledProducts() {
        return Stream.of(
                Arguments.of(false, false, 33, 65, 7, 1.5f, 0f),
                Arguments.of(true, false, 65, 7, 33, -0.5f, 1f),
                Arguments.of(false, true, 7, 130, 65, 2f, -0.75f),
                Arguments.of(true, true, 130, 33, 1, 0.25f, 0.5f),
                Arguments.of(true, true, 1, 1, 130, -1f, 2f));
    }

    static Stream<Arguments> batchedProducts() {
        List<int[]> shapes = List.of(
                new int[] {7, 13, 5}, new int[] {33, 1, 65}, new int[] {1, 65, 7}, new int[] {31, 33, 31});
        return ConformanceCases.product(List.of(Strides.values()), shapes, List.of(false, true));
    }

    /**
     * (transA, transB, m, n, k, beta): every transpose in packed batches, as a grouped convolution's three products
     * use them, with the shapes of a depthwise one (one output channel per group, 9 taps) and of wider groups.
     */
    static Stream<Arguments> groupedProducts() {
        List<int[]> shapes = List.of(new int[] {1, 97, 9}, new int[] {3, 50, 18}, new int[] {9, 1, 97});
        return ConformanceCases.product(List.of(false, true), List.of(false, true), shapes, List.of(0f, 1f));
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4}")
    @MethodSource("products")
    default void gemmMatchesReference(boolean transA, boolean transB, int m, int n, int k) {
        checkGemm(GemmSpec.of(transA, transB, m, n, k));
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4} alpha={5} beta={6}")
    @MethodSource("scaledProducts")
    default void gemmScalesByAlphaAndAddsBetaTimesC(boolean transA, boolean transB, int m, int n, int k,
                                                      float alpha, float beta) {
        checkGemm(GemmSpec.of(transA, transB, m, n, k).scaled(alpha, beta));
    }

    @ParameterizedTest(name = "{0} batch of 3, m={1} n={2} k={3}, beta={4}")
    @MethodSource("batchedProducts")
    default void gemmBatchesWithStrides(Strides strides, int m, int n, int k, boolean withBeta) {
        GemmSpec spec = GemmSpec.of(m % 2 == 1, k % 2 == 0, m, n, k).scaled(1.25f, withBeta ? -0.5f : 0f);
        checkGemm(strides.apply(spec, 3));
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4} beta={5}, batch of 5")
    @MethodSource("groupedProducts")
    default void gemmBatchesEveryTransposeAsGroupedConvolutionsDo(boolean transA, boolean transB, int m, int n,
                                                                 int k, float beta) {
        checkGemm(Strides.PACKED.apply(GemmSpec.of(transA, transB, m, n, k).scaled(1f, beta), 5));
    }

    /**
     * Runs one product on random A, B and C (C's matrices poisoned with NaN when beta is 0, gaps random) and
     * compares all of C, gaps included, with the reference.
     */
    private void checkGemm(GemmSpec spec) {
        float[] a = values(Math.toIntExact(spec.extentA()));
        float[] b = values(Math.toIntExact(spec.extentB()));
        float[] c = values(Math.toIntExact(spec.extentC()));
        if (spec.beta() == 0f) {
            for (int i = 0; i < spec.batch(); i++) {
                int start = Math.toIntExact(i * spec.strideC());
                Arrays.fill(c, start, start + spec.m() * spec.n(), Float.NaN);
            }
        }
        Tensor tc = tensor(c);
        backend().gemm(spec, tensor(a), tensor(b), tc);
        assertClose(spec.toString(), ReferenceOps.gemm(spec, a, b, c), tc, Tolerance.accumulating(spec.k() + 1));
    }

    /**
     * A product added into a C known to be zero is written over it (beta taken as 0, C not read), as a backward
     * pass adds its weight gradient into a gradient that an optimizer's update has just zeroed; once written, C is
     * added into again. The write shows in the sign of a zero: -1 times a product of +0 is -0, which added to C's +0
     * would be +0.
     */
    @Test
    default void gemmWritesOverACJustZeroedAndThenAddsAgain() {
        GemmSpec spec = GemmSpec.of(true, false, 33, 65, 7).scaled(1.5f, 1f);
        float[] a = values(Math.toIntExact(spec.extentA()));
        float[] b = values(Math.toIntExact(spec.extentB()));
        int size = Math.toIntExact(spec.extentC());
        Tensor gradient = tensor(values(size));
        backend().sgdUpdate(new SgdStep(0.1f, 0f, 0f, false), tensor(values(size)), gradient, null);
        Tensor ta = tensor(a);
        Tensor tb = tensor(b);
        backend().gemm(spec, ta, tb, gradient);
        Tolerance tolerance = Tolerance.accumulating(spec.k() + 1);
        assertClose("product into a gradient just zeroed", ReferenceOps.gemm(spec, a, b, new float[size]), gradient,
                tolerance);
        float[] first = read(gradient);
        backend().gemm(spec, ta, tb, gradient);
        assertClose("the same product added to it", ReferenceOps.gemm(spec, a, b, first), gradient, tolerance);

        Tensor zero = backend().full(Shape.of(1), 0f);
        backend().gemm(GemmSpec.of(false, false, 1, 1, 1).scaled(-1f, 1f), tensor(new float[] {1f}),
                tensor(new float[] {0f}), zero);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(read(zero)[0]),
                "-1 * (1 * 0) added into a C just filled with zeros: written, -0; added, it would be +0");
    }

    @Test
    default void gemmRejectsBadSizes() {
        GemmSpec spec = GemmSpec.of(false, true, 7, 5, 3);
        Tensor a = tensor(values(21));
        Tensor b = tensor(values(15));
        Tensor c = poisoned(35);
        assertRejects("A of 20 floats for 7x3", () -> backend().gemm(spec, tensor(values(20)), b, c));
        assertRejects("B of 14 floats for 5x3", () -> backend().gemm(spec, a, tensor(values(14)), c));
        assertRejects("C of 34 floats for 7x5", () -> backend().gemm(spec, a, b, poisoned(34)));
        GemmSpec batched = spec.batched(2, 21, 15, 35);
        assertRejects("C of 35 floats for 2 batched 7x5", () -> backend().gemm(batched, tensor(values(42)),
                tensor(values(30)), c));
    }
}
