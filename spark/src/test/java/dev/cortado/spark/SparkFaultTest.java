package dev.cortado.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.train.Checkpoint;
import dev.cortado.train.CheckpointException;
import dev.cortado.train.TrainingPosition;
import dev.cortado.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor JVM killed (SIGKILL) in the middle of an epoch, on a {@code local-cluster} of two executor JVMs: the
 * driver submits the stage again, the workers resume from the last checkpoint, and the run ends with the weights of
 * an uninterrupted run.
 */
class SparkFaultTest {
    /** Settings for this test's Spark contexts, as spark-submit would give them. */
    private static final Map<String, String> SPARK_SETTINGS = Map.of(
            // The executors need the JVM flags of the tests' JVM: Spark's module opens and the Vector API.
            "spark.executor.extraJavaOptions", System.getProperty("spark.java.options", ""),
            // A resubmitted barrier stage waits for the replacement executor; check for it every second, not 15.
            "spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "1s");

    @TempDir
    Path dir;

    @BeforeEach
    void sparkSettings() throws Exception {
        Files.createDirectories(Path.of(System.getProperty("spark.test.home", "target/spark-test-home")));
        SPARK_SETTINGS.forEach(System::setProperty);
    }

    @AfterEach
    void clearSparkSettings() {
        SPARK_SETTINGS.keySet().forEach(System::clearProperty);
    }

    private List<String> options(Path data, Path out) {
        return List.of("train", "--workers", "2", "--model", "lenet5", "--data", data.toString(), "--out",
                out.toString(), "--batch-size", "32", "--epochs", "2", "--limit-train", "960", "--limit-test", "100",
                "--checkpoint-every", "4", "--log-every", "8");
    }

    @Test
    void anExecutorKilledMidEpochResumesFromTheLastCheckpointToTheSameWeights() throws Exception {
        Path data = SampleData.extract(dir.resolve("data"));
        Path reference = dir.resolve("reference");
        SparkRun uninterrupted = SparkRun.of(SparkRun.args(options(data, reference), "--master", "local[2]"));
        assertEquals(0, uninterrupted.exitCode(), uninterrupted.err());

        Path out = dir.resolve("killed");
        CompletableFuture<SparkRun> run = CompletableFuture.supplyAsync(() -> SparkRun.of(SparkRun.args(
                options(data, out), "--master", "local-cluster[2,1,1024]", "--restarts", "2")));
        TrainingPosition killedAfter = killAnExecutorAfterAMidEpochCheckpoint(out.resolve(TrainingRun.LAST_CHECKPOINT),
                run);
        SparkRun killed = run.get(4, TimeUnit.MINUTES);
        assertEquals(0, killed.exitCode(), killed.err());
        assertTrue(killed.out().contains("attempt 1 failed: "), killed.out());
        assertTrue(killed.out().contains("submitting the stage again (restart 1 of 2)"), killed.out());
        System.out.println("killed an executor after the checkpoint at " + killedAfter.describe());

        Checkpoint expected = Checkpoint.read(reference.resolve(TrainingRun.LAST_CHECKPOINT));
        Checkpoint actual = Checkpoint.read(out.resolve(TrainingRun.LAST_CHECKPOINT));
        assertEquals(expected.position(), actual.position());
        boolean identical = Weights.identical(expected, actual);
        double difference = Weights.largestRelativeDifference(expected, actual);
        System.out.printf("weights after the kill and resume vs uninterrupted: %s (largest relative difference %.3g)%n",
                identical ? "identical" : "not identical", difference);
        assertTrue(identical, "the resumed run's weights differ from the uninterrupted run's by up to " + difference);
        assertEquals(expected.history().size(), actual.history().size());
        for (int e = 0; e < expected.history().size(); e++) {
            assertEquals(expected.history().get(e).test().correct(), actual.history().get(e).test().correct());
        }
    }

    /**
     * Waits for worker 0's first checkpoint in the middle of an epoch (after step 4 at the earliest), then kills
     * one executor JVM of the local cluster with SIGKILL, and returns the position of that checkpoint.
     */
    private static TrainingPosition killAnExecutorAfterAMidEpochCheckpoint(Path last,
                                                                           CompletableFuture<SparkRun> run)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline && !run.isDone()) {
            Optional<TrainingPosition> at = position(last);
            if (at.isPresent() && at.get().step() > 0 && at.get().batch() > 0) {
                List<ProcessHandle> executors = ProcessHandle.current().descendants()
                        .filter(p -> commandLine(p).contains("CoarseGrainedExecutorBackend")).toList();
                assertEquals(2, executors.size(), "executor JVMs of the local cluster");
                assertTrue(executors.get(0).destroyForcibly(), "SIGKILL to executor " + executors.get(0).pid());
                return at.get();
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no mid-epoch checkpoint appeared in " + last + " while the run lasted"
                + (run.isDone() ? ": the run ended first (" + run.get().out() + ")" : ""));
    }

    /**
     * A process's command line: from {@code /proc} where there is one, since {@link ProcessHandle.Info} leaves out
     * command lines as long as an executor's (its class path names every jar).
     */
    private static String commandLine(ProcessHandle process) {
        Path proc = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        try {
            return Files.exists(proc) ? Files.readString(proc).replace('\0', ' ')
                    : process.info().commandLine().orElse("");
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static Optional<TrainingPosition> position(Path last) {
        if (!Files.exists(last)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Checkpoint.read(last).position());
        } catch (CheckpointException e) {
            return Optional.empty();
        }
    }
}
