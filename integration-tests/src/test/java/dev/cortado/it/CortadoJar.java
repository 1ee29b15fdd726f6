package dev.cortado.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The CLI's shaded jar ({@code cli/target/cortado.jar}), also run as a plain process on the host. */
public final class CortadoJar {
    private static final long TIMEOUT_MINUTES = 15;

    private CortadoJar() {
    }

    /** The jar the image is built from (system property {@code cortado.jar}). */
    public static Path path() {
        Path jar = Path.of(System.getProperty("cortado.jar", "../cli/target/cortado.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no CLI jar at " + jar.toAbsolutePath() + ": build it with"
                    + " mvn -pl cli -am package");
        }
        return jar;
    }

    /**
     * What a host run of the CLI printed and how it exited.
     *
     * @param exitCode the process's exit code
     * @param stdout what it printed on stdout
     * @param stderr what it printed on stderr
     */
    public record Result(int exitCode, String stdout, String stderr) {
        /** Both streams, for assertion messages. */
        public String output() {
            return "exit code " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** Runs {@code cortado args...} on the host with this JVM's java and waits for it to end. */
    public static Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-jar", path().toString()));
        command.addAll(List.of(args));
        try {
            Path stdout = Files.createTempFile("cortado-stdout", ".txt");
            Path stderr = Files.createTempFile("cortado-stderr", ".txt");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile())
                        .start();
                if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("cortado " + String.join(" ", args) + " did not finish in "
                            + TIMEOUT_MINUTES + " minutes");
                }
                return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                        Files.readString(stderr, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(stdout);
                Files.deleteIfExists(stderr);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running cortado " + String.join(" ", args), e);
        }
    }
}
