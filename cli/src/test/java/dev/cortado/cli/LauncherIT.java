package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./cortado}, the launcher: locale, symbolic links, JAVA_HOME, and arguments passed as given. */
class LauncherIT {
    @TempDir
    static Path tmp;
    static Path sample;

    @BeforeAll
    static void data() throws Exception {
        sample = CortadoProcess.sampleData(tmp.resolve("sample"));
    }

    private record Output(int code, String text) {
    }

    /** Runs {@code command} without a locale or JVM options from this environment, with {@code environment}. */
    private static Output launch(Map<String, String> environment, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        List.of("LANG", "LC_ALL", "LC_CTYPE", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS",
                MemoryHint.JAVA_OPTS).forEach(builder.environment()::remove);
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        Process p = builder.start();
        String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new Output(p.waitFor(), text);
    }

    private static List<String> launcher(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", CortadoProcess.root().resolve("cortado").toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** The probe: paths with non-ASCII characters failed without a UTF-8 locale (the Docker image sets one). */
    @Test
    void aNonAsciiOutputDirectoryWorksWithoutALocale() throws Exception {
        Path out = tmp.resolve("caf\u00e9-\u00fcbung");
        Output r = launch(Map.of("LANG", "C"), launcher("train", "--model", "mlp", "--data", sample.toString(),
                "--out", out.toString(), "--epochs", "1", "--limit-train", "64", "--limit-test", "10"));
        assertEquals(0, r.code(), r.text());
        assertTrue(Files.isRegularFile(out.resolve("last.safetensors")), r.text());
        assertTrue(r.text().contains("wrote " + out.resolve("metrics.jsonl")), r.text());
    }

    /** The probe: through a symbolic link on the PATH the launcher ran Maven in the link's folder. */
    @Test
    void throughASymbolicLinkOnThePathTheLauncherRunsTheCheckoutsJar() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("cortado"), CortadoProcess.root().resolve("cortado"));
        Output r = launch(Map.of("PATH", bin + ":" + System.getenv("PATH")), List.of("bash", "-c",
                "cortado --version"));
        assertEquals(0, r.code(), r.text());
        assertTrue(r.text().contains("cortado " + Main.version()), r.text());
        assertFalse(r.text().contains("building"), r.text());
        try (var files = Files.list(bin)) {
            assertEquals(List.of(bin.resolve("cortado")), files.toList());
        }
    }

    /** The probe: a JAVA_HOME that points nowhere gave a bash error. */
    @Test
    void aJavaHomeThatPointsNowhereIsOneClearLine() throws Exception {
        Path nowhere = tmp.resolve("no-jdk");
        Output r = launch(Map.of("JAVA_HOME", nowhere.toString()), launcher("--version"));
        assertEquals(127, r.code(), r.text());
        assertEquals("cortado: JAVA_HOME is " + nowhere + ", but " + nowhere + "/bin/java is not there or not "
                + "executable: point JAVA_HOME at a Java 17 or newer installation, or unset it to use the java on the "
                + "PATH\n", r.text());
    }

    /** The probe: --out "" trained into the current folder. */
    @Test
    void anEmptyOutputDirectoryIsRefused() throws Exception {
        Output r = launch(Map.of(), launcher("train", "--data", sample.toString(), "--out", ""));
        assertEquals(ExitCode.USAGE.code(), r.code(), r.text());
        assertTrue(r.text().contains("cortado train: --out must name a directory, got an empty string"), r.text());
    }
}
