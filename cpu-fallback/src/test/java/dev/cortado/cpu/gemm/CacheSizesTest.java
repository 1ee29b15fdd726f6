package dev.cortado.cpu.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache sizes from a sysfs-like directory, and the blocking they give. */
class CacheSizesTest {
    @TempDir
    Path sysfs;

    private void cache(int index, int level, String type, String size) throws IOException {
        Path dir = Files.createDirectories(sysfs.resolve("index" + index));
        Files.writeString(dir.resolve("level"), level + "\n");
        Files.writeString(dir.resolve("type"), type + "\n");
        Files.writeString(dir.resolve("size"), size + "\n");
    }

    @Test
    void readsDataAndUnifiedCachesAndSkipsInstructionCaches() throws IOException {
        cache(0, 1, "Data", "48K");
        cache(1, 1, "Instruction", "32K");
        cache(2, 2, "Unified", "2048K");
        cache(3, 3, "Unified", "105M");
        assertEquals(new CacheSizes(48 << 10, 2 << 20, 105 << 20), CacheSizes.read(sysfs));
    }

    @Test
    void aLevelNotListedTakesItsDefaultAndAMissingDirectoryAllDefaults() throws IOException {
        cache(0, 1, "Data", "64K");
        assertEquals(new CacheSizes(64 << 10, CacheSizes.DEFAULT.l2(), CacheSizes.DEFAULT.l3()),
                CacheSizes.read(sysfs));
        assertEquals(CacheSizes.DEFAULT, CacheSizes.read(sysfs.resolve("absent")));
    }

    @Test
    void anUnreadableSizeGivesTheDefaults() throws IOException {
        cache(0, 1, "Data", "lots");
        assertEquals(CacheSizes.DEFAULT, CacheSizes.read(sysfs));
    }

    @Test
    void implausibleSizesAreClamped() {
        assertEquals(new CacheSizes(16 << 10, 256 << 10, 256 << 10), new CacheSizes(0, 0, 0));
        assertEquals(new CacheSizes(128 << 10, 4 << 20, 256 << 20), new CacheSizes(1L << 40, 1L << 40, 1L << 40));
    }

    @Test
    void parsesSizesWithAndWithoutUnits() {
        assertEquals(32 << 10, CacheSizes.parseSize("32K"));
        assertEquals(2 << 20, CacheSizes.parseSize(" 2M\n"));
        assertEquals(1000, CacheSizes.parseSize("1000"));
    }

    /**
     * On the caches the blocking was tuned on, the rules give the sizes tuned there by hand for the 6-row tile (mc
     * 126, 21 slivers); the 8-row tile of 512-bit vectors takes 16 slivers, 128 rows, of the same eighth of L2.
     */
    @Test
    void theDefaultCachesGiveTheHandTunedBlocks() {
        MicroKernel vector = VectorKernel.createIfUseful();
        assumeTrue(vector != null, "the Vector API has no hardware vectors of 4 floats or more on this machine");
        int mc = vector.mr() == 8 ? 128 : 126;
        assertEquals(new Blocking(256, mc, 4096, 64 << 10, 4 << 20, 1024, 64), Blocking.of(vector,
                CacheSizes.DEFAULT));
    }

    /** Larger caches (recent Intel server cores: 48 KiB L1d, 2 MiB L2) give deeper and larger blocks. */
    @Test
    void largerCachesGiveLargerBlocks() {
        Blocking b = Blocking.of(new ScalarKernel(), new CacheSizes(48 << 10, 2 << 20, 32 << 20));
        assertEquals(new Blocking(512, 128, 2048, 128 << 10, 4 << 20, 1024, 128), b);
    }
}
