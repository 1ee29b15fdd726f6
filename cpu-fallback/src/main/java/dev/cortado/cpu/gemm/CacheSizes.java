package dev.cortado.cpu.gemm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The data caches one core sees, in bytes, which {@link Blocking} sizes GEMM's blocks from. On Linux they are read
 * from sysfs; where that says nothing (other systems, some containers) each level takes the size of the machine
 * the blocking was first tuned on (AMD Zen 4: 32 KiB, 1 MiB, 32 MiB). Sizes are clamped to a plausible range, as a
 * virtual machine may report its host's caches or none.
 *
 * @param l1 level-1 data cache of one core
 * @param l2 level-2 cache of one core
 * @param l3 last-level cache (shared)
 */
record CacheSizes(long l1, long l2, long l3) {
    static final CacheSizes DEFAULT = new CacheSizes(32 << 10, 1 << 20, 32 << 20);
    private static final Path SYSFS = Path.of("/sys/devices/system/cpu/cpu0/cache");

    CacheSizes {
        l1 = Math.max(16 << 10, Math.min(l1, 128 << 10));
        l2 = Math.max(256 << 10, Math.min(l2, 4 << 20));
        l3 = Math.max(l2, Math.min(l3, 256 << 20));
    }

    /** This machine's caches, as far as it tells. */
    static CacheSizes ofThisMachine() {
        return read(SYSFS);
    }

    /**
     * The caches listed under {@code dir} in the layout of Linux's {@code /sys/devices/system/cpu/cpu0/cache}: one
     * {@code index*} directory per cache with files {@code level}, {@code type} and {@code size} ("32K", "2M");
     * instruction caches are skipped, and a level not found takes its {@link #DEFAULT}.
     */
    static CacheSizes read(Path dir) {
        long[] sizes = {DEFAULT.l1, DEFAULT.l2, DEFAULT.l3};
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path index : entries.filter(p -> p.getFileName().toString().startsWith("index")).toList()) {
                int level = Integer.parseInt(Files.readString(index.resolve("level")).trim());
                String type = Files.readString(index.resolve("type")).trim();
                if (level >= 1 && level <= 3 && !type.equals("Instruction")) {
                    sizes[level - 1] = parseSize(Files.readString(index.resolve("size")));
                }
            }
        } catch (IOException | UncheckedIOException | SecurityException | IllegalArgumentException e) {
            return DEFAULT; // no sysfs here, or one we cannot read: the defaults rather than half of it
        }
        return new CacheSizes(sizes[0], sizes[1], sizes[2]);
    }

    /** "32K", "1024K", "2M" or a plain number of bytes. */
    static long parseSize(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        long unit = s.endsWith("K") ? 1 << 10 : s.endsWith("M") ? 1 << 20 : s.endsWith("G") ? 1 << 30 : 1;
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        return Long.parseLong(digits) * unit;
    }

    /** For device listings: "L1d 32 KiB, L2 1024 KiB, L3 32768 KiB". */
    String describe() {
        return "L1d " + (l1 >> 10) + " KiB, L2 " + (l2 >> 10) + " KiB, L3 " + (l3 >> 10) + " KiB";
    }
}
