package dev.cortado.cpu.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.backend.GemmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kernel against a double-precision reference: transposes, awkward sizes, scaling, batches, offsets. */
class BlockedGemmTest {

    /**
     * m, n, k: ones, primes, exact tiles and non-multiples of the register and cache blocks (with the default
     * caches: kc = 256 steps of k, mc = 128 rows packed at once (126 for a 6-row tile), nc = 4096 columns, dot
     * products in blocks of 4 x 4 (3 x 4 at AVX2 width and in the scalar kernel) over 1024 steps; with the small caches: 128, 60, 64 and 512), and sizes large enough (8 Mflop) to go
     * parallel: split by rows, by columns and by slices of k.
     */
    private static final int[][] SIZES = {
        {1, 1, 1}, {1, 1, 300}, {2, 3, 1}, {1, 37, 5}, {29, 1, 7}, {6, 32, 256}, {12, 64, 512}, {7, 33, 257},
        {13, 17, 19}, {31, 97, 263}, {61, 131, 600}, {97, 131, 263}, {250, 41, 3}, {967, 5, 2}, {250, 4099, 5},
        {257, 9, 70}, {7, 9, 2100}, {7, 9, 70001}, {5, 6, 150001}, {331, 37, 400}, {200, 40, 700},
    };

    static Stream<Arguments> sizesByTransposeByKernel() {
        List<Arguments> cases = new ArrayList<>();
        for (String kernel : Kernels.ALL) {
            for (int[] size : SIZES) {
                for (int t = 0; t < 4; t++) {
                    cases.add(Arguments.of(kernel, (t & 1) != 0, (t & 2) != 0, size[0], size[1], size[2]));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: transA={1} transB={2} {3}x{4}x{5}")
    @MethodSource("sizesByTransposeByKernel")
    void matchesTheReference(String kernel, boolean transA, boolean transB, int m, int n, int k) {
        GemmCase gemm = new GemmCase(GemmSpec.of(transA, transB, m, n, k), 31L * m + 7L * n + k);
        gemm.runOn(Kernels.gemm(kernel));
        gemm.check(kernel);
    }

    static Stream<Arguments> bigProducts() {
        List<Arguments> cases = new ArrayList<>();
        for (String kernel : Kernels.ALL) {
            for (int t = 0; t < 4; t++) {
                cases.add(Arguments.of(kernel, (t & 1) != 0, (t & 2) != 0, 401, 397, 430));
            }
            // more of B than one shared packing holds (4 Mi floats, 32 Ki with small caches): blocks of columns, groups of k
            cases.add(Arguments.of(kernel, false, true, 257, 4100, 1100));
        }
        return cases.stream();
    }

    /** Products big enough that the threads pack B once and share it. */
    @ParameterizedTest(name = "{0}: transA={1} transB={2} {3}x{4}x{5}")
    @MethodSource("bigProducts")
    void sharesPackedOperandsOfBigProducts(String kernel, boolean transA, boolean transB, int m, int n, int k) {
        GemmCase gemm = new GemmCase(GemmSpec.of(transA, transB, m, n, k).scaled(0.5f, -1f), m + n + k);
        gemm.runOn(Kernels.gemm(kernel));
        gemm.check(kernel);
    }

    static Stream<Arguments> scalings() {
        List<Arguments> cases = new ArrayList<>();
        float[][] alphaBeta = {{0.75f, -1.25f}, {-2f, 1f}, {1f, 1f}, {3f, 0f}, {0f, 0.5f}, {0f, 0f}};
        for (String kernel : Kernels.ALL) {
            for (float[] ab : alphaBeta) {
                for (int t = 0; t < 4; t++) {
                    cases.add(Arguments.of(kernel, (t & 1) != 0, (t & 2) != 0, ab[0], ab[1]));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: transA={1} transB={2} alpha={3} beta={4}")
    @MethodSource("scalings")
    void scalesByAlphaAndBeta(String kernel, boolean transA, boolean transB, float alpha, float beta) {
        BlockedGemm on = Kernels.gemm(kernel);
        for (int[] size : new int[][] {{13, 37, 600}, {67, 71, 29}, {6, 5, 3000}}) {
            GemmSpec spec = GemmSpec.of(transA, transB, size[0], size[1], size[2]).scaled(alpha, beta);
            GemmCase gemm = new GemmCase(spec, size[0] + 1000L * size[2]);
            gemm.runOn(on);
            gemm.check(kernel);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernelNames")
    void emptyDepthScalesC(String kernel) {
        BlockedGemm on = Kernels.gemm(kernel);
        GemmCase zeroed = new GemmCase(GemmSpec.of(false, false, 5, 7, 0), 1);
        zeroed.runOn(on);
        zeroed.check(kernel);
        for (int i = 0; i < 35; i++) {
            assertEquals(0f, zeroed.c[i], "k = 0 with beta = 0 must write zeros over the NaN in C");
        }
        GemmCase scaled = new GemmCase(GemmSpec.of(true, true, 5, 7, 0).scaled(1f, 2f), 2);
        scaled.runOn(on);
        scaled.check(kernel);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernelNames")
    void emptyCIsANoOp(String kernel) {
        BlockedGemm on = Kernels.gemm(kernel);
        for (GemmSpec spec : List.of(GemmSpec.of(false, false, 0, 5, 3), GemmSpec.of(true, false, 4, 0, 3))) {
            GemmCase gemm = new GemmCase(spec, 3);
            gemm.runOn(on);
            gemm.check(kernel);
        }
    }

    static Stream<String> kernelNames() {
        return Kernels.ALL.stream();
    }

    static Stream<Arguments> batches() {
        List<Arguments> cases = new ArrayList<>();
        for (String kernel : Kernels.ALL) {
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0;
                boolean transB = (t & 2) != 0;
                // one A for every matrix, one B for every matrix, neither shared; then many small products that
                // run one per thread, and long-k products that split k
                cases.add(Arguments.of(kernel, transA, transB, 3, 17, 23, 29, 0L, 23L * 29 + 4, 17L * 23 + 9, 0.5f));
                cases.add(Arguments.of(kernel, transA, transB, 4, 31, 7, 45, 31L * 45 + 1, 0L, 31L * 7, 0f));
                cases.add(Arguments.of(kernel, transA, transB, 2, 9, 40, 11, 9L * 11, 40L * 11 + 2, 9L * 40 + 5,
                        -1f));
                cases.add(Arguments.of(kernel, transA, transB, 8, 64, 64, 160, 0L, 64L * 160, 64L * 64 + 1, 0f));
                cases.add(Arguments.of(kernel, transA, transB, 2, 5, 6, 80001, 5L * 80001, 0L, 31L, 1f));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: transA={1} transB={2} batch={3} {4}x{5}x{6} strides {7},{8},{9} beta={10}")
    @MethodSource("batches")
    void walksStridedBatchesAtOffsets(String kernel, boolean transA, boolean transB, int batch, int m, int n,
                                      int k, long strideA, long strideB, long strideC, float beta) {
        GemmSpec spec = GemmSpec.of(transA, transB, m, n, k).scaled(1.5f, beta)
                .batched(batch, strideA, strideB, strideC);
        GemmCase gemm = new GemmCase(spec, 11, 13, 17, batch * 1000L + k);
        gemm.runOn(Kernels.gemm(kernel));
        gemm.check(kernel);
    }
}
