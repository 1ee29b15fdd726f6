package dev.cortado.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builds a backend can ask for, as a device that loads prebuilt kernels needs them listed. */
class KernelVariantsListTest {
    private static final KernelDeviceFacts NVIDIA = new KernelDeviceFacts(KernelDeviceFacts.Type.GPU, "NVIDIA", 1024,
            new long[] {1024, 1024, 64}, 48 << 10);

    @Test
    void everyFileOnceExceptGemmWithTwoTileSetsAndEveryTranspose() {
        List<KernelVariant> variants = KernelBackend.variants(NVIDIA);
        assertEquals(variants.size(), new HashSet<>(variants).size(), "no duplicates: " + variants);
        List<String> files = KernelSources.files();
        assertEquals(files.size() - 1 + 8, variants.size(), variants.toString());
        for (String file : files) {
            assertTrue(variants.stream().anyMatch(v -> v.file().equals(file)), file);
        }
        for (GemmTiles tiles : List.of(GemmTiles.NVIDIA_GPU, GemmTiles.SAFE)) {
            for (boolean a : new boolean[] {false, true}) {
                for (boolean b : new boolean[] {false, true}) {
                    assertTrue(variants.contains(new KernelVariant("gemm.cl", tiles.buildOptions(a, b))));
                }
            }
        }
        assertTrue(variants.contains(new KernelVariant("reduce.cl", "-DREDUCE_GROUP=256")), variants.toString());
    }

    @Test
    void aDeviceThatOnlyFitsTheSafeTilesListsThemOnce() {
        KernelDeviceFacts small = new KernelDeviceFacts(KernelDeviceFacts.Type.GPU, "NVIDIA", 128,
                new long[] {128, 128, 64}, 16 << 10);
        List<KernelVariant> variants = KernelBackend.variants(small);
        assertEquals(4, variants.stream().filter(v -> v.file().equals("gemm.cl")).count());
        assertTrue(variants.contains(new KernelVariant("reduce.cl", "-DREDUCE_GROUP=128")), variants.toString());
    }
}
