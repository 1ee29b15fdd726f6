package dev.cortado.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.kernel.GemmChoice;
import dev.cortado.kernel.KernelBuildException;
import dev.cortado.kernel.KernelSources;
import dev.cortado.kernel.ProgramCache;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building kernels on the real device: every file builds, the disk cache is used, errors carry the log. */
class ProgramsTest {
    private static final String KERNEL = KernelSources.get("elementwise.cl");

    @TempDir
    Path dir;

    private static OpenClBackend open(ProgramCache cache) {
        ProbedDevice d = OpenClTestDevice.require();
        return new OpenClBackend(d.device(), d.info(), GemmChoice.TILED, cache);
    }

    /** Builds elementwise.cl (through fill) and checks the kernel really runs. */
    private static void fillWorks(OpenClBackend backend) {
        Tensor t = backend.allocate(Shape.of(3));
        backend.fill(t, 4f);
        assertArrayEquals(new float[] {4, 4, 4}, t.toArray());
    }

    @Test
    void everyKernelFileBuilds() throws IOException {
        List<String> files;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(KernelSources.PACKAGE + "index.txt")) {
            files = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                    .filter(l -> !l.isEmpty()).toList();
        }
        assertTrue(files.contains("gemm.cl"), files.toString());
        try (OpenClBackend backend = open(new ProgramCache(dir))) {
            for (String file : files) {
                backend.programs().program(file, "");
            }
        }
    }

    @Test
    void aSecondBackendLoadsTheBinaryFromDisk() {
        ProgramCache first = new ProgramCache(dir);
        try (OpenClBackend backend = open(first)) {
            fillWorks(backend);
        }
        assertEquals(0, first.hits());
        assertEquals(1, first.misses());
        ProgramCache second = new ProgramCache(dir);
        try (OpenClBackend backend = open(second)) {
            fillWorks(backend);
        }
        assertEquals(1, second.hits());
        assertEquals(0, second.misses());
    }

    @Test
    void aCorruptEntryIsRebuiltNotFatal() throws IOException {
        try (OpenClBackend backend = open(new ProgramCache(dir))) {
            fillWorks(backend);
        }
        Path entry = onlyEntry();
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length / 2] ^= 0x11;
        Files.write(entry, bytes);
        ProgramCache cache = new ProgramCache(dir);
        try (OpenClBackend backend = open(cache)) {
            fillWorks(backend);
        }
        assertEquals(1, cache.corruptEntries());
        ProgramCache after = new ProgramCache(dir);
        assertTrue(after.load(entry.getFileName().toString().replace(".bin", "")).isPresent(),
                "the rebuilt program was stored again");
    }

    @Test
    void aBinaryTheDriverRejectsIsRebuiltFromSource() {
        ProbedDevice d = OpenClTestDevice.require();
        ProgramCache cache = new ProgramCache(dir);
        String key = ProgramCache.key(KERNEL, "", d.device().name(), d.device().driverVersion());
        cache.store(key, "not a program binary".getBytes(StandardCharsets.US_ASCII));
        try (OpenClBackend backend = open(cache)) {
            fillWorks(backend);
        }
        assertEquals(1, cache.hits(), "the well-formed entry was read");
        assertTrue(cache.load(key).orElseThrow().length > 100, "the source build replaced the bad binary");
    }

    @Test
    void aKernelThatFailsToBuildRaisesAnErrorWithTheBuildLog() {
        try (OpenClBackend backend = open(new ProgramCache(dir))) {
            KernelBuildException e = assertThrows(KernelBuildException.class,
                    () -> backend.programs().kernel("broken_for_test.cl", "-DUNUSED=1", "broken"));
            assertTrue(e.getMessage().contains("broken_for_test.cl"), e.getMessage());
            assertTrue(e.getMessage().contains(backend.info().name()), e.getMessage());
            assertTrue(e.getMessage().contains("-DUNUSED=1"), e.getMessage());
            assertTrue(e.getMessage().contains("undeclared_identifier_for_test"), e.getMessage());
            assertEquals(java.util.Map.of(ClObjects.Kind.CONTEXT, 1L, ClObjects.Kind.QUEUE, 1L),
                    backend.liveObjects(), "the failed program was released");
        }
    }

    private Path onlyEntry() throws IOException {
        try (var files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }
}
