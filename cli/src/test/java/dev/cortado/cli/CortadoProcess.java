package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.train.Checkpoint;
import dev.cortado.train.TrainingPosition;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs the shaded jar as a separate process, as the {@code ./cortado} launcher does, and collects its output.
 * The jar's path comes from the {@code cortado.jar} system property that failsafe sets.
 */
final class CortadoProcess {
    /** The line the JVM prints on stderr for the Vector API incubator module; not the command's output. */
    static final String INCUBATOR_WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";
    private static final long TIMEOUT_SECONDS = 300;

    private final Process process;
    private final CompletableFuture<List<String>> stderr;
    private final List<String> stdout = new ArrayList<>();
    private final BufferedReader stdoutReader;

    private CortadoProcess(Process process) {
        this.process = process;
        this.stdoutReader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        this.stderr = CompletableFuture.supplyAsync(() -> lines(process.getErrorStream()));
    }

    /** The finished process's output. */
    record Result(int exitCode, List<String> stdout, List<String> stderr) {
        String out() {
            return String.join("\n", stdout);
        }

        /** The command's own stderr lines, without the JVM's incubator warning. */
        List<String> errors() {
            return stderr.stream().filter(l -> !l.equals(INCUBATOR_WARNING)).toList();
        }
    }

    static Path jar() {
        String jar = System.getProperty("cortado.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), "cortado.jar not built: " + jar);
        return Path.of(jar);
    }

    static Path root() {
        return Path.of(System.getProperty("cortado.root", "..")).toAbsolutePath().normalize();
    }

    /** Starts {@code java -jar cortado.jar args} with extra environment variables, as the launcher does. */
    static CortadoProcess start(Map<String, String> environment, String... args) throws IOException {
        return start(List.of("--add-modules", "jdk.incubator.vector", "-Xmx1g"), environment, args);
    }

    /** Starts {@code java jvmOptions -jar cortado.jar args} with extra environment variables. */
    static CortadoProcess start(List<String> jvmOptions, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("CORTADO_DEVICE");
        // The JVM announces these on stderr ("Picked up ..."), which is not the command's output.
        List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS").forEach(builder.environment()::remove);
        builder.environment().putAll(environment);
        return new CortadoProcess(builder.start());
    }

    /** Runs {@code java -jar cortado.jar args} to the end. */
    static Result run(String... args) throws Exception {
        return start(Map.of(), args).waitFor();
    }

    /**
     * Runs {@code cortado train args} (which must write checkpoints within epochs), kills it with SIGKILL as soon
     * as it reports its first checkpoint in epoch 2, and returns where the checkpoint it left in {@code out} stands.
     */
    static TrainingPosition killedInSecondEpoch(Path out, String... args) throws Exception {
        CortadoProcess run = start(Map.of(), args);
        String line = run.readUntil(l -> l.startsWith("checkpoint: ") && l.contains("(epoch 2 after batch "));
        assertNotNull(line, "the run ended before a checkpoint in its second epoch");
        // Signals through the process handle: Process.destroy would also close the pipes we read.
        run.process.toHandle().destroyForcibly();
        assertTrue(run.process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, run.process.exitValue(), "not killed by SIGKILL");
        return Checkpoint.read(out.resolve("last.safetensors")).position();
    }

    Process process() {
        return process;
    }

    /** Reads stdout until a line matches, returning it, or null when the output ends first. */
    String readUntil(Predicate<String> wanted) throws IOException {
        String line;
        while ((line = stdoutReader.readLine()) != null) {
            stdout.add(line);
            if (wanted.test(line)) {
                return line;
            }
        }
        return null;
    }

    /** Waits for the process to end and returns everything it printed. */
    Result waitFor() throws Exception {
        readUntil(line -> false);
        assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "cortado did not finish");
        return new Result(process.exitValue(), List.copyOf(stdout), stderr.get());
    }

    private static List<String> lines(java.io.InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        } catch (IOException e) {
            return List.of("(stderr unreadable: " + e + ")");
        }
    }

    /** Copies the bundled Fashion-MNIST sample out of the sources into {@code dir}. */
    static Path sampleData(Path dir) throws IOException {
        Path source = root().resolve("cli/src/main/resources/dev/cortado/cli/sample");
        Files.createDirectories(dir);
        try (var files = Files.list(source)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".gz")).toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        return dir;
    }
}
