package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.io.HostTensor;
import dev.cortado.train.Checkpoint;
import dev.cortado.train.TrainingPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL in the middle of an epoch, or stopped with SIGTERM, and resumed, ends with exactly the
 * weights of an uninterrupted run with the same seed. The model has dropout, the schedule is cosine and the
 * optimizer keeps momentum, so the dropout counters, the step and the optimizer state must all be restored.
 */
class ResumeIT {
    /**
     * Wide enough that the steps left after the signal is sent (295 after the kill, 440 after the stop: the run has
     * a third epoch so that even a fast machine is still training when the signal arrives) take a while.
     */
    private static final String SPEC = "{\"name\": \"small-conv\", \"input\": [1, 28, 28], \"layers\": ["
            + "{\"type\": \"conv2d\", \"out\": 32, \"kernel\": 5, \"padding\": 2}, {\"type\": \"relu\"}, "
            + "{\"type\": \"maxpool2d\", \"kernel\": 2}, {\"type\": \"conv2d\", \"out\": 64, \"kernel\": 5}, "
            + "{\"type\": \"relu\"}, {\"type\": \"maxpool2d\", \"kernel\": 2}, {\"type\": \"flatten\"}, "
            + "{\"type\": \"dropout\", \"p\": 0.25}, {\"type\": \"linear\", \"out\": 10}]}";

    @TempDir
    static Path tmp;
    static Path sample;
    static Path spec;
    static Checkpoint reference;

    /** 600 samples in batches of 4: 150 steps per epoch, a checkpoint every 5 steps, three epochs. */
    static String[] trainArgs(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--model", spec.toString(), "--data", sample.toString(),
                "--out", out.toString(), "--epochs", "3", "--batch-size", "4", "--limit-train", "600",
                "--limit-test", "50", "--schedule", "cosine", "--seed", "7", "--checkpoint-every", "5",
                "--log-every", "5", "--verbose"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @BeforeAll
    static void uninterruptedRun() throws Exception {
        sample = CortadoProcess.sampleData(tmp.resolve("sample"));
        spec = Files.writeString(tmp.resolve("small-conv.json"), SPEC);
        Path out = tmp.resolve("uninterrupted");
        CortadoProcess.Result r = CortadoProcess.run(trainArgs(out));
        assertEquals(0, r.exitCode(), r.errors().toString());
        reference = Checkpoint.read(out.resolve("last.safetensors"));
    }

    private static void assertSameFinalWeights(Path out) throws Exception {
        Checkpoint resumed = Checkpoint.read(out.resolve("last.safetensors"));
        assertEquals(reference.position(), resumed.position());
        assertEquals(reference.dropoutCalls(), resumed.dropoutCalls());
        assertEquals(reference.tensors().keySet(), resumed.tensors().keySet());
        for (Map.Entry<String, HostTensor> e : reference.tensors().entrySet()) {
            assertArrayEquals(e.getValue().data(), resumed.tensors().get(e.getKey()).data(), e.getKey());
        }
        for (int epoch = 0; epoch < 3; epoch++) {
            assertEquals(reference.history().get(epoch).test().correct(),
                    resumed.history().get(epoch).test().correct());
        }
        // The metrics log was rewound to the checkpoint: every step line once, in order.
        List<String> steps = Files.readAllLines(out.resolve("metrics.jsonl")).stream()
                .map(l -> l.replaceAll(".*\"type\":\"(\\w+)\".*\"step\":(\\d+).*", "$1 $2")).toList();
        List<String> expected = Files.readAllLines(out.resolveSibling("uninterrupted").resolve("metrics.jsonl"))
                .stream().map(l -> l.replaceAll(".*\"type\":\"(\\w+)\".*\"step\":(\\d+).*", "$1 $2")).toList();
        assertEquals(expected, steps);
    }

    @Test
    void killedWithSigkillInTheMiddleOfAnEpochAndResumedEndsWithTheSameWeights() throws Exception {
        Path out = tmp.resolve("killed");
        // Killed at the first checkpoint written inside the second epoch; 295 steps remain when it is seen.
        TrainingPosition killedAt = CortadoProcess.killedInSecondEpoch(out, trainArgs(out));
        assertTrue(killedAt.epoch() >= 1 && killedAt.step() > 150, "the checkpoint left by the kill is older "
                + "than the one seen: " + killedAt);

        CortadoProcess.Result resumed = CortadoProcess.run(trainArgs(out, "--resume"));
        assertEquals(0, resumed.exitCode(), resumed.errors().toString());
        assertTrue(resumed.out().contains("resuming: " + out.resolve("last.safetensors") + " at "
                + killedAt.describe()), resumed.out());
        assertSameFinalWeights(out);
    }

    @Test
    void stoppedWithSigtermWritesACheckpointWithinTenSecondsAndResumesToTheSameWeights() throws Exception {
        Path out = tmp.resolve("terminated");
        CortadoProcess run = CortadoProcess.start(Map.of(), trainArgs(out));
        assertNotNull(run.readUntil(l -> l.startsWith("checkpoint: ") && l.contains("(epoch 1 after batch 10 ")));
        long start = System.nanoTime();
        run.process().toHandle().destroy();
        CortadoProcess.Result stopped = run.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 10, "took " + seconds + " s to stop");
        assertEquals(143, stopped.exitCode(), stopped.errors().toString());
        String last = stopped.stdout().get(stopped.stdout().size() - 1);
        assertTrue(last.startsWith("stopped at epoch "), last);
        TrainingPosition stoppedAt = Checkpoint.read(out.resolve("last.safetensors")).position();
        assertTrue(last.contains(stoppedAt.describe()), last + " vs " + stoppedAt);

        CortadoProcess.Result resumed = CortadoProcess.run(trainArgs(out, "--resume"));
        assertEquals(0, resumed.exitCode(), resumed.errors().toString());
        assertSameFinalWeights(out);
    }
}
