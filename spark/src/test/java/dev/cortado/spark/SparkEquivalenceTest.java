package dev.cortado.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.Backend;
import dev.cortado.data.Dataset;
import dev.cortado.data.MnistDataset;
import dev.cortado.data.Split;
import dev.cortado.device.Devices;
import dev.cortado.model.ModelSpec;
import dev.cortado.train.Checkpoint;
import dev.cortado.train.TrainingConfig;
import dev.cortado.train.TrainingRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two workers at batch 32 on {@code local[2]} end with the weights of one process at batch 64 over the same samples,
 * up to float summation order, for the MLP and LeNet-5 (neither has batch norm or dropout, whose statistics and
 * masks are per worker).
 */
class SparkEquivalenceTest {
    /** Differences of float summation order over 20 steps stay far below this (relative to each tensor's largest). */
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet5"})
    void twoWorkersAtBatch32EndWithTheWeightsOfOneProcessAtBatch64(String model) throws Exception {
        Path data = SampleData.extract(dir.resolve("data"));
        TrainingConfig config = TrainingConfig.builder().sgd(0.05f, 0.9f).cosineSchedule().epochs(2).batchSize(64)
                .seed(7).trainLimit(640).testLimit(100).build();
        Path single = dir.resolve("single");
        Dataset train = MnistDataset.load(data, Split.TRAIN);
        Dataset test = MnistDataset.load(data, Split.TEST);
        try (Backend cpu = Devices.open("cpu");
             TrainingRun run = TrainingRun.start(cpu, ModelSpec.builtIn(model), config, train, test, single)) {
            run.run(new TrainingRun.Listener() { }, () -> false, 0);
        }

        Path out = dir.resolve("spark");
        SparkRun spark = SparkRun.of("train", "--workers", "2", "--master", "local[2]", "--model", model, "--data",
                data.toString(), "--out", out.toString(), "--batch-size", "32", "--lr", "0.05", "--schedule", "cosine",
                "--epochs", "2", "--seed", "7", "--limit-train", "640", "--limit-test", "100", "--checkpoint-every",
                "7", "--log-every", "5");
        assertEquals(0, spark.exitCode(), spark.err());
        assertTrue(spark.out().contains("batch 64 (2 workers x 32)"), spark.out());
        assertTrue(spark.out().contains("worker 1: cpu ("), spark.out());

        Checkpoint expected = Checkpoint.read(single.resolve(TrainingRun.LAST_CHECKPOINT));
        Checkpoint actual = Checkpoint.read(out.resolve(TrainingRun.LAST_CHECKPOINT));
        assertEquals(expected.position(), actual.position());
        assertEquals(expected.config(), actual.config());
        double difference = Weights.largestRelativeDifference(expected, actual);
        System.out.printf("%s: largest relative weight difference, 2 x 32 vs 1 x 64: %.3g%n", model, difference);
        assertTrue(difference < TOLERANCE, model + ": weights differ by " + difference);
        List<dev.cortado.train.EpochResult> one = expected.history();
        List<dev.cortado.train.EpochResult> two = actual.history();
        for (int e = 0; e < one.size(); e++) {
            assertEquals(one.get(e).samples(), two.get(e).samples());
            assertEquals(one.get(e).trainLoss(), two.get(e).trainLoss(), 1e-4, "train loss of epoch " + e);
            assertEquals(one.get(e).test().correct(), two.get(e).test().correct(), "test hits of epoch " + e);
        }
    }
}
