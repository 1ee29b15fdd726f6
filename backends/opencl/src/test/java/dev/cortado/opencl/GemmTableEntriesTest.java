package dev.cortado.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.backend.GemmSpec;
import dev.cortado.kernel.GemmTiles;
import dev.cortado.kernel.TiledGemm;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.ReferenceOps;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The tiled GEMM with every entry of the tile table, whatever the device here would choose. */
class GemmTableEntriesTest extends OpenClFixture {

    static Stream<GemmTiles> tableEntries() {
        return Stream.of(GemmTiles.SAFE, GemmTiles.CPU, GemmTiles.NVIDIA_GPU, GemmTiles.AMD_GPU, GemmTiles.INTEL_GPU);
    }

    /** Every table entry computes the right product here, so a GPU entry is at least correct before any GPU runs it. */
    @ParameterizedTest
    @MethodSource("tableEntries")
    void everyTableEntryIsCorrect(GemmTiles tiles) {
        TiledGemm engine = backend.tiledGemm(tiles);
        // Two transpose combinations only: each one is a separate build, and a CPU driver takes seconds for the
        // larger entries. The other two combinations are covered by OpenClGemmTest with this device's entry.
        GemmSpec[] specs = {
            GemmSpec.of(false, false, 131, 67, 45).scaled(1f, 0f),
            GemmSpec.of(true, true, 3, 257, 129).scaled(0.5f, 2f).batched(2, 3 * 129 + 1, 0, 3 * 257 + 2)};
        for (GemmSpec spec : specs) {
            float[] a = randoms(Math.toIntExact(spec.extentA()));
            float[] b = randoms(Math.toIntExact(spec.extentB()));
            float[] c = randoms(Math.toIntExact(spec.extentC()));
            float[] expected = ReferenceOps.gemm(spec, a, b, c);
            Tensor tc = tensor(Shape.of(c.length), c);
            engine.run(spec, tensor(Shape.of(a.length), a), tensor(Shape.of(b.length), b), tc);
            assertClose(expected, tc.toArray(), 1e-5 * Math.sqrt(spec.k() + 1) * 4, tiles.describe() + " " + spec);
        }
        assertEquals("tiled kernel, " + tiles.describe(), engine.describe(), "the device ran the entry unchanged");
    }
}
