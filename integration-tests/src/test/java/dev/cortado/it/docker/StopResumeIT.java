package dev.cortado.it.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.io.HostTensor;
import dev.cortado.io.Safetensors;
import dev.cortado.train.Checkpoint;
import dev.cortado.train.TrainingPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker stop} in the middle of an epoch: the job finishes its step, writes a checkpoint and exits with
 * the JVM's SIGTERM code 143 within Docker's 10 s grace period; started again, it ends with exactly the weights
 * (and optimizer state) of an uninterrupted job with the same seed. The stopped job runs with
 * {@code --auto-resume} both times, as an orchestrator restarts a job: the same command starts it on an empty
 * {@code /out} and continues it from the checkpoint there.
 */
class StopResumeIT {
    /** Docker's default grace period between SIGTERM and SIGKILL, which the job contract promises to meet. */
    private static final int GRACE_SECONDS = 10;
    /** A job stopped by SIGTERM after writing its checkpoint exits as the JVM does on that signal. */
    private static final int STOPPED_EXIT_CODE = 128 + 15;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    /**
     * A convnet wider than LeNet-5 (64 and 256 channels), so that a step takes milliseconds and the 245 steps
     * left when the stop is sent take seconds, whatever the latency of Docker's log stream and signal.
     */
    private static final String SPEC = """
            {"name": "wide-convnet", "input": [1, 28, 28], "layers": [
              {"type": "conv2d", "out": 64, "kernel": 5, "padding": 2}, {"type": "relu"},
              {"type": "maxpool2d", "kernel": 2},
              {"type": "conv2d", "out": 256, "kernel": 5, "padding": 2}, {"type": "relu"},
              {"type": "maxpool2d", "kernel": 2},
              {"type": "flatten"}, {"type": "linear", "out": 10}]}
            """;
    private static final String SPEC_FILE = "wide-convnet.json";

    @TempDir
    Path tmp;

    /**
     * The wide convnet, 1,000 samples in batches of 4: 250 steps per epoch, two epochs, a progress line every 5
     * steps and checkpoints at epoch ends only, so a checkpoint inside an epoch can only come from the stop. The
     * spec lies beside the data in the read-only {@code /data}.
     */
    private static Job job(Path data, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--model", "/data/" + SPEC_FILE, "--data", "/data",
                "--out", "/out", "--device", "cpu",
                "--epochs", "2", "--batch-size", "4", "--limit-train", "1000", "--limit-test", "50", "--seed", "11",
                "--checkpoint-every", "0", "--log-every", "5"));
        args.addAll(List.of(extra));
        return Job.of(args.toArray(String[]::new)).data(data).out(out);
    }

    @Test
    void stoppedMidEpochResumesToTheWeightsOfAnUninterruptedJob() throws Exception {
        Path data = Dirs.sampleData(tmp);
        Files.writeString(data.resolve(SPEC_FILE), SPEC);
        Path reference = Dirs.out(tmp, "uninterrupted");
        Job.Finished uninterrupted = job(data, reference).run(TIMEOUT);
        assertEquals(0, uninterrupted.exitCode(), uninterrupted.describe());

        Path out = Dirs.out(tmp, "stopped");
        Job.Stopped stopped;
        try (Job.Running running = job(data, out, "--auto-resume").start()) {
            // The first progress line of the second epoch (step 255): the job is inside the epoch, with 245 steps
            // (some seconds) to go.
            running.awaitStdout(line -> line.startsWith("epoch 2/2  batch "), TIMEOUT);
            stopped = running.stop(GRACE_SECONDS);
        }
        Job.Finished first = stopped.finished();
        System.out.print("stopped job:\n" + first.stdout() + "docker stop took " + stopped.stopTook().toMillis()
                + " ms, exit code " + first.exitCode() + "\n");
        assertFalse(first.stdout().contains("resuming:"), "--auto-resume on an empty /out must start afresh");
        assertEquals(STOPPED_EXIT_CODE, first.exitCode(), "not a clean stop (137 is SIGKILL after the grace"
                + " period):\n" + first.describe());
        assertTrue(stopped.stopTook().compareTo(Duration.ofSeconds(GRACE_SECONDS)) < 0,
                "docker stop took " + stopped.stopTook());
        TrainingPosition stoppedAt = Checkpoint.read(out.resolve("last.safetensors")).position();
        assertEquals(1, stoppedAt.epoch(), "stopped outside the second epoch: " + stoppedAt);
        assertTrue(stoppedAt.batch() > 0, "the checkpoint is not in the middle of the epoch: " + stoppedAt);
        assertTrue(stoppedAt.step() >= 255, "the checkpoint is older than the stop: " + stoppedAt);
        // The job's last word is where it stopped, which is where its checkpoint stands.
        assertTrue(first.stdout().contains("stopped at " + stoppedAt.describe()), first.describe());

        Job.Finished resumed = job(data, out, "--auto-resume").run(TIMEOUT);
        System.out.print("resumed job:\n" + resumed.stdout());
        assertEquals(0, resumed.exitCode(), resumed.describe());
        assertTrue(resumed.stdout().contains("resuming: /out/last.safetensors at " + stoppedAt.describe()),
                resumed.describe());

        assertSameTensors(reference.resolve("last.safetensors"), out.resolve("last.safetensors"));
    }

    /** Every tensor of the two checkpoints, weights and optimizer state, bit for bit. */
    private static void assertSameTensors(Path expectedFile, Path actualFile) throws Exception {
        Map<String, HostTensor> expected = Safetensors.read(expectedFile).tensors();
        Map<String, HostTensor> actual = Safetensors.read(actualFile).tensors();
        assertEquals(expected.keySet(), actual.keySet());
        for (Map.Entry<String, HostTensor> e : expected.entrySet()) {
            HostTensor other = actual.get(e.getKey());
            assertArrayEquals(e.getValue().shape(), other.shape(), e.getKey());
            assertArrayEquals(e.getValue().data(), other.data(), e.getKey());
        }
        System.out.println("resumed and uninterrupted jobs agree on all " + expected.size() + " tensors");
    }
}
