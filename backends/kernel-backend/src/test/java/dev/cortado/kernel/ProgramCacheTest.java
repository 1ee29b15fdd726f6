package dev.cortado.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The on-disk program cache without a device: keys, round trips, corrupt entries, concurrent writers. */
class ProgramCacheTest {
    @TempDir
    Path dir;

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void theKeyChangesWithEachInput() {
        String base = ProgramCache.key("src", "-DX=1", "dev", "1.0");
        assertNotEquals(base, ProgramCache.key("src2", "-DX=1", "dev", "1.0"));
        assertNotEquals(base, ProgramCache.key("src", "-DX=2", "dev", "1.0"));
        assertNotEquals(base, ProgramCache.key("src", "-DX=1", "dev2", "1.0"));
        assertNotEquals(base, ProgramCache.key("src", "-DX=1", "dev", "1.1"));
        assertNotEquals(ProgramCache.key("ab", "c", "d", "e"), ProgramCache.key("a", "bc", "d", "e"));
        assertEquals(base, ProgramCache.key("src", "-DX=1", "dev", "1.0"));
    }

    @Test
    void aStoredBinaryComesBackAndCountsAsAHit() {
        ProgramCache cache = new ProgramCache(dir.resolve("nested").resolve("cache"));
        assertEquals(Optional.empty(), cache.load("k"));
        byte[] binary = bytes(5000, 1);
        cache.store("k", binary);
        assertArrayEquals(binary, cache.load("k").orElseThrow());
        assertEquals(1, cache.hits());
        assertEquals(1, cache.misses());
        assertEquals(0, cache.corruptEntries());
    }

    @ParameterizedTest
    @ValueSource(strings = {"truncated", "flipped", "garbage", "empty", "trailing"})
    void aCorruptEntryIsDeletedAndReportedAsAMiss(String damage) throws IOException {
        ProgramCache cache = new ProgramCache(dir);
        cache.store("k", bytes(3000, 2));
        Path file = cache.entry("k");
        byte[] stored = Files.readAllBytes(file);
        byte[] damaged = switch (damage) {
            case "truncated" -> java.util.Arrays.copyOf(stored, stored.length / 2);
            case "flipped" -> {
                byte[] copy = stored.clone();
                copy[copy.length - 10] ^= 0x40;
                yield copy;
            }
            case "garbage" -> bytes(stored.length, 3);
            case "empty" -> new byte[0];
            default -> java.util.Arrays.copyOf(stored, stored.length + 1);
        };
        Files.write(file, damaged);
        assertEquals(Optional.empty(), cache.load("k"));
        assertEquals(1, cache.corruptEntries());
        assertFalse(Files.exists(file), "the corrupt entry is deleted");
        cache.store("k", bytes(3000, 2));
        assertArrayEquals(bytes(3000, 2), cache.load("k").orElseThrow(), "a rebuilt entry is stored again");
    }

    @Test
    void concurrentWritersNeverLeaveAHalfWrittenEntry() throws Exception {
        List<byte[]> versions = List.of(bytes(200_000, 10), bytes(150_000, 11), bytes(250_000, 12));
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<Integer>> tasks = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                byte[] mine = versions.get(w);
                tasks.add(pool.submit(() -> {
                    ProgramCache writer = new ProgramCache(dir);
                    for (int i = 0; i < 40; i++) {
                        writer.store("shared", mine);
                    }
                    return 0;
                }));
            }
            for (int r = 0; r < 2; r++) {
                tasks.add(pool.submit(() -> {
                    ProgramCache reader = new ProgramCache(dir);
                    int seen = 0;
                    for (int i = 0; i < 200; i++) {
                        Optional<byte[]> got = reader.load("shared");
                        if (got.isPresent()) {
                            assertTrue(versions.stream().anyMatch(v -> java.util.Arrays.equals(v, got.get())),
                                    "a reader saw a binary no writer wrote");
                            seen++;
                        }
                    }
                    assertEquals(0, reader.corruptEntries(), "a reader saw a half-written entry");
                    return seen;
                }));
            }
            for (Future<Integer> task : tasks) {
                task.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("shared.bin"), files.map(p -> p.getFileName().toString()).toList(),
                    "no temporary file is left behind");
        }
    }

    @Test
    void anUnwritableDirectoryOnlyWarns() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        ProgramCache cache = new ProgramCache(notADirectory.resolve("cache"));
        cache.store("k", bytes(10, 4));
        assertEquals(Optional.empty(), cache.load("k"));
    }

    @Test
    void theDefaultDirectoryFollowsXdg() {
        assertEquals(Path.of("/x/cache/cortado/opencl"),
                ProgramCache.defaultDirectory("opencl", Map.of("XDG_CACHE_HOME", "/x/cache"), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/cortado/cuda"),
                ProgramCache.defaultDirectory("cuda", Map.of(), "/home/u"));
    }
}
