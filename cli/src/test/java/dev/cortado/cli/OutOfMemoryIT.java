package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Out of memory is exit 10 and one line with the fix that fits (a smaller batch, a larger heap through
 * {@code CORTADO_JAVA_OPTS}), found before step 0 where arithmetic can tell, never a stack trace without --verbose.
 */
class OutOfMemoryIT {
    @TempDir
    static Path tmp;
    static Path sample;

    @BeforeAll
    static void data() throws Exception {
        sample = CortadoProcess.sampleData(tmp.resolve("sample"));
    }

    private static void assertOneLineWithoutStackTrace(CortadoProcess.Result r) {
        assertEquals(ExitCode.OUT_OF_MEMORY.code(), r.exitCode(), r.stderr().toString());
        assertEquals(1, r.errors().stream().filter(l -> !l.startsWith("cortado: WARNING")).count(),
                r.errors().toString());
        assertFalse(String.join("\n", r.stderr()).contains("\tat "), r.stderr().toString());
    }

    /** The probe: a 2 MB .gz that really holds 2.7 million images printed a raw OutOfMemoryError. */
    @Test
    void dataThatDoesNotFitTheHeapIsExitTenWithHowToGiveJavaMore() throws Exception {
        Path bomb = TestData.gzipBomb(tmp.resolve("bomb"), 100_000);
        CortadoProcess.Result r = CortadoProcess.start(List.of("-Xmx64m"), Map.of(), "train", "--data",
                bomb.toString(), "--out", tmp.resolve("bomb-out").toString()).waitFor();
        assertOneLineWithoutStackTrace(r);
        String line = r.errors().stream().filter(l -> l.startsWith("cortado train: ")).findFirst().orElseThrow();
        assertTrue(line.matches("cortado train: out of memory: the Java heap \\(at most 6\\d MiB\\) is full \\(.*"),
                line);
        assertTrue(line.endsWith("): lower --batch-size, or give Java more heap: CORTADO_JAVA_OPTS=-Xmx2g "
                + "./cortado ... (java -Xmx2g -jar cortado.jar ... without the launcher)"), line);
    }

    /** The same through ./cortado, whose CORTADO_JAVA_OPTS reach Java: the message names the 64 MiB heap. */
    @Test
    void theLauncherPassesCortadoJavaOptsToJava() throws Exception {
        Path bomb = TestData.gzipBomb(tmp.resolve("bomb-launcher"), 100_000);
        ProcessBuilder builder = new ProcessBuilder("bash", CortadoProcess.root().resolve("cortado").toString(),
                "train", "--data", bomb.toString(), "--out", tmp.resolve("bomb-launcher-out").toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put(MemoryHint.JAVA_OPTS, "-Xmx64m -Dcortado.test=two-options");
        builder.redirectErrorStream(true);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(ExitCode.OUT_OF_MEMORY.code(), p.waitFor(), output);
        assertTrue(output.matches("(?s).*cortado train: out of memory: the Java heap \\(at most 6\\d MiB\\) is full.*"),
                output);
    }

    /** The probe: a 200,000-wide linear layer ran out of memory with a stack trace. */
    @Test
    void aModelThatCannotFitTheHeapIsRefusedBeforeStepZeroWithNothingWritten() throws Exception {
        Path spec = Files.writeString(tmp.resolve("wide.json"), "{\"name\": \"wide\", \"input\": [1, 28, 28], "
                + "\"layers\": [{\"type\": \"flatten\"}, {\"type\": \"linear\", \"out\": 200000}, {\"type\": "
                + "\"linear\", \"out\": 10}]}");
        Path out = tmp.resolve("wide-out");
        CortadoProcess.Result r = CortadoProcess.run("train", "--model", spec.toString(), "--data",
                sample.toString(), "--out", out.toString());
        assertOneLineWithoutStackTrace(r);
        String line = r.errors().get(0);
        assertTrue(line.startsWith("cortado train: model 'wide' needs at least 1.8 GiB on cpu for batches of 64 "
                + "(1.8 GiB of parameters, gradients and optimizer state, 50 MiB of activations), more than the "),
                line);
        assertTrue(line.endsWith(" it has (the Java heap's maximum less the data): use a smaller model or lower the "
                + "batch size, or give Java more heap: CORTADO_JAVA_OPTS=-Xmx2g ./cortado ... (java -Xmx2g -jar "
                + "cortado.jar ... without the launcher)"), line);
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of(RunLock.FILE_NAME), files.map(f -> f.getFileName().toString()).toList());
        }
    }

    /**
     * What the estimate before step 0 cannot see (the ReLUs' outputs and gradients, 100 MB each here) runs out of
     * memory in the first step: exit 10 with the allocator's reason and both fixes.
     */
    @Test
    void aStepThatRunsOutOfHeapIsExitTenWithBothFixes() throws Exception {
        Path spec = Files.writeString(tmp.resolve("many-relus.json"), "{\"name\": \"many-relus\", \"input\": [1, 28, "
                + "28], \"layers\": [{\"type\": \"conv2d\", \"out\": 32, \"kernel\": 1}, {\"type\": \"relu\"}, "
                + "{\"type\": \"relu\"}, {\"type\": \"relu\"}, {\"type\": \"flatten\"}, {\"type\": \"linear\", "
                + "\"out\": 10}]}");
        CortadoProcess.Result r = CortadoProcess.start(List.of("--add-modules", "jdk.incubator.vector",
                "-Xmx256m"), Map.of(), "train", "--model", spec.toString(), "--data", sample.toString(), "--out",
                tmp.resolve("relus-out").toString(), "--batch-size", "1000", "--limit-test", "10").waitFor();
        assertOneLineWithoutStackTrace(r);
        String line = r.errors().get(0);
        assertTrue(line.startsWith("cortado train: out of device memory: requested "), line);
        assertTrue(line.contains("Java heap exhausted allocating "), line);
        assertTrue(line.endsWith(": lower --batch-size, or give Java more heap: CORTADO_JAVA_OPTS=-Xmx2g ./cortado "
                + "... (java -Xmx2g -jar cortado.jar ... without the launcher)"), line);
    }
}
