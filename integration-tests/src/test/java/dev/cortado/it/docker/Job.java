package dev.cortado.it.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame.OutputType;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;

/**
 * One container of the job image, as a user starts it: {@code docker run --network none -v data:/data:ro
 * -v out:/out cortado ARGS...}. Either run to completion ({@link #run}) or started and stopped by the test
 * ({@link #start}, {@link Running#stop}). Any exit code is a result, not a failure of the helper.
 */
final class Job {
    private static final long POLL_MILLIS = 100;

    private final List<String> args;
    private final List<Bind> binds = new ArrayList<>();
    private String image;

    private Job(List<String> args) {
        this.args = args;
    }

    /** A job that runs {@code cortado args...} in the container; no arguments run the image's default command. */
    static Job of(String... args) {
        return new Job(List.of(args));
    }

    /** Runs in another image than the job image (one derived from it). */
    Job image(String name) {
        image = name;
        return this;
    }

    /** Binds a host directory at {@code /data}, read-only as the job contract says. */
    Job data(Path hostDir) {
        binds.add(new Bind(hostDir.toAbsolutePath().toString(), new Volume("/data"), AccessMode.ro));
        return this;
    }

    /** Binds a host directory at {@code /out}, read-write. */
    Job out(Path hostDir) {
        binds.add(new Bind(hostDir.toAbsolutePath().toString(), new Volume("/out"), AccessMode.rw));
        return this;
    }

    /** Runs the job to its end, at most {@code timeout}, and removes the container. */
    Finished run(Duration timeout) {
        try (Running running = start()) {
            Integer code = running.client().waitContainerCmd(running.id())
                    .exec(new WaitContainerResultCallback())
                    .awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return running.finished(code);
        }
    }

    /** Starts the job and returns while it runs (or has already ended). */
    Running start() {
        GenericContainer<?> container = new GenericContainer<>(image != null ? image : JobImage.name())
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withNetworkMode("none")
                        .withBinds(binds))
                .withStartupCheckStrategy(new StartedCheck());
        if (!args.isEmpty()) {
            container.withCommand(args.toArray(String[]::new));
        }
        container.start();
        return new Running(container, System.nanoTime());
    }

    /** A container that runs; closing it removes it. */
    static final class Running implements AutoCloseable {
        private final GenericContainer<?> container;
        private final long startNanos;

        private Running(GenericContainer<?> container, long startNanos) {
            this.container = container;
            this.startNanos = startNanos;
        }

        private DockerClient client() {
            return container.getDockerClient();
        }

        private String id() {
            return container.getContainerId();
        }

        /**
         * Waits until the job prints a stdout line that matches.
         *
         * @throws AssertionError if the job ends or the time runs out first, with what it printed
         */
        void awaitStdout(Predicate<String> line, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String stdout = container.getLogs(OutputType.STDOUT);
                if (stdout.lines().anyMatch(line)) {
                    return;
                }
                if (!client().inspectContainerCmd(id()).exec().getState().getRunning()) {
                    throw new AssertionError("the job ended before printing the line awaited:\n"
                            + finished(exitCode()).describe());
                }
                Thread.sleep(POLL_MILLIS);
            }
            throw new AssertionError("no such line after " + timeout + ":\n" + container.getLogs());
        }

        /**
         * {@code docker stop --time graceSeconds}: SIGTERM, then SIGKILL (exit code 137) if the job has not exited
         * after the grace period. Returns how the job ended and how long the stop took.
         */
        Stopped stop(int graceSeconds) {
            long begin = System.nanoTime();
            client().stopContainerCmd(id()).withTimeout(graceSeconds).exec();
            Duration took = Duration.ofNanos(System.nanoTime() - begin);
            return new Stopped(finished(exitCode()), took);
        }

        private Integer exitCode() {
            Long code = client().inspectContainerCmd(id()).exec().getState().getExitCodeLong();
            return code == null ? null : code.intValue();
        }

        private Finished finished(Integer exitCode) {
            if (exitCode == null) {
                throw new IllegalStateException("container " + id() + " has no exit code");
            }
            return new Finished(exitCode, container.getLogs(OutputType.STDOUT),
                    container.getLogs(OutputType.STDERR), Duration.ofNanos(System.nanoTime() - startNanos));
        }

        @Override
        public void close() {
            container.stop();
        }
    }

    /**
     * How a job ended.
     *
     * @param exitCode the container's exit code
     * @param stdout everything the job printed on stdout
     * @param stderr everything it printed on stderr
     * @param took from the start of the container to the end
     */
    record Finished(int exitCode, String stdout, String stderr, Duration took) {
        /**
         * The stderr lines the CLI printed: without the JVM's one warning about the incubating Vector API module
         * that {@code --add-modules jdk.incubator.vector} always prints.
         */
        List<String> errorLines() {
            return stderr.lines()
                    .filter(line -> !line.isBlank())
                    .filter(line -> !line.startsWith("WARNING: Using incubator modules"))
                    .toList();
        }

        /** For assertion messages. */
        String describe() {
            return "exit code " + exitCode + " after " + took.toMillis() + " ms\n--- stdout\n" + stdout
                    + "--- stderr\n" + stderr;
        }
    }

    /** A stopped job and how long {@code docker stop} took. */
    record Stopped(Finished finished, Duration stopTook) {
    }

    /** Counts a container as started once it was started, whether it still runs or has already exited. */
    private static final class StartedCheck extends StartupCheckStrategy {
        @Override
        public StartupStatus checkStartupState(DockerClient client, String containerId) {
            return StartupStatus.SUCCESSFUL;
        }
    }
}
