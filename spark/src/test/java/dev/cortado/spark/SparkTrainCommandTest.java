package dev.cortado.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.cli.ExitCode;
import dev.cortado.train.Checkpoint;
import dev.cortado.train.TrainingConfig;
import dev.cortado.train.TrainingConfig.ScheduleKind;
import dev.cortado.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cortado-spark train} on {@code local[2]}: a run resumed with {@code --resume} (through Hadoop's file system
 * API, with {@code file://} URIs for the data and the output) ends where an uninterrupted run ends, the mistakes
 * {@code cortado train} refuses are refused with its exit codes, a worker's without a second attempt, and a built-in
 * ResNet gets {@code cortado train}'s recipe.
 */
class SparkTrainCommandTest {
    @TempDir
    Path dir;

    private static List<String> options(String data, String out) {
        return options(2, data, out);
    }

    private static List<String> options(int workers, String data, String out) {
        return List.of("train", "--workers", Integer.toString(workers), "--master", "local[2]", "--model", "mlp",
                "--data", data, "--out", out, "--batch-size", "16", "--limit-train", "160", "--limit-test", "50",
                "--checkpoint-every", "3");
    }

    @Test
    void aResumedRunEndsWithTheWeightsOfAnUninterruptedOneAndMistakesAreRefused() throws Exception {
        Path data = SampleData.extract(dir.resolve("data"));
        Path whole = dir.resolve("whole");
        SparkRun uninterrupted = SparkRun.of(SparkRun.args(options(data.toString(), whole.toString()), "--epochs",
                "2"));
        assertEquals(0, uninterrupted.exitCode(), uninterrupted.err());

        String dataUri = data.toUri().toString();
        Path parts = dir.resolve("parts");
        String outUri = parts.toUri().toString();
        assertTrue(dataUri.startsWith("file:/") && outUri.startsWith("file:/"), dataUri);
        SparkRun first = SparkRun.of(SparkRun.args(options(dataUri, outUri), "--epochs", "1"));
        assertEquals(0, first.exitCode(), first.err());
        SparkRun second = SparkRun.of(SparkRun.args(options(dataUri, outUri), "--epochs", "2", "--resume"));
        assertEquals(0, second.exitCode(), second.err());
        assertTrue(second.out().contains("resuming: " + outUri.replaceAll("/$", "") + "/last.safetensors at the end "
                + "of epoch 1 (step 5)"), second.out());
        Checkpoint expected = Checkpoint.read(whole.resolve(TrainingRun.LAST_CHECKPOINT));
        Checkpoint resumed = Checkpoint.read(parts.resolve(TrainingRun.LAST_CHECKPOINT));
        assertEquals(expected.position(), resumed.position());
        assertTrue(Weights.identical(expected, resumed), "largest relative difference "
                + Weights.largestRelativeDifference(expected, resumed));
        assertEquals(List.of("epoch-001.safetensors", "epoch-002.safetensors", "last.safetensors", "metrics.jsonl",
                        "metrics.png"),
                Files.list(parts).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")
                        && !n.endsWith(".crc")).sorted().toList());
        assertEquals(expected.history().size(), resumed.history().size());

        SparkRun clobber = SparkRun.of(SparkRun.args(options(data.toString(), whole.toString()), "--epochs", "2"));
        assertEquals(ExitCode.CHECKPOINT.code(), clobber.exitCode());
        assertTrue(clobber.err().contains("already holds a run"), clobber.err());

        SparkRun otherBatch = SparkRun.of(SparkRun.args(options(4, data.toString(), whole.toString()), "--epochs",
                "2", "--resume"));
        assertEquals(ExitCode.CHECKPOINT.code(), otherBatch.exitCode());
        assertTrue(otherBatch.err().contains("the batch size of a step is --workers x --batch-size: 64 now"),
                otherBatch.err());

        SparkRun noData = SparkRun.of(SparkRun.args(options(dir.resolve("none").toString(),
                dir.resolve("out-none").toString()), "--epochs", "1"));
        assertEquals(ExitCode.DATA.code(), noData.exitCode(), noData.err());
        assertTrue(noData.err().contains("dataset directory not found"), noData.err());
        assertFalse(noData.out().contains("attempt 1 failed"), "a worker's data error is not retried: "
                + noData.out());
    }

    @Test
    void aBuiltInResNetTakesCortadoTrainsRecipeWithTheRateOfTheStepsBatch() throws Exception {
        Path data = SampleData.extract(dir.resolve("data"));
        Path out = dir.resolve("resnet");
        SparkRun run = SparkRun.of("train", "--workers", "2", "--master", "local[2]", "--model", "resnet8", "--data",
                data.toString(), "--out", out.toString(), "--limit-train", "128", "--limit-test", "32", "--epochs",
                "1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("recipe: resnet8 trains with He et al.'s ResNet recipe: lr 0.1 for steps of "
                + "128"), run.out());
        assertTrue(run.out().contains("training: sgd lr 0.1 momentum 0.9 weight decay 5.0E-4, cosine schedule, "
                + "batch 128 (2 workers x 64)"), run.out());
        TrainingConfig recorded = Checkpoint.read(out.resolve(TrainingRun.LAST_CHECKPOINT)).config();
        assertEquals(0.1f, recorded.lr());
        assertEquals(ScheduleKind.COSINE, recorded.schedule());
    }
}
