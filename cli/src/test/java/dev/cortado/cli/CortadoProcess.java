package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** Starts {@code java -jar cortado.jar args} with extra environment variables. */
    static CortadoProcess start(Map<String, String> environment, String... args) throws IOException {
        return start(List.of(), environment, args);
    }

    /** Starts {@code java jvmOptions -jar cortado.jar args}; the options come after a default -Xmx1g. */
    static CortadoProcess start(List<String> jvmOptions, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--add-modules", "jdk.incubator.vector", "-Xmx1g"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("CORTADO_DEVICE");
        builder.environment().putAll(environment);
        return new CortadoProcess(builder.start());
    }

    /** Runs {@code java -jar cortado.jar args} to the end. */
    static Result run(String... args) throws Exception {
        return start(Map.of(), args).waitFor();
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
