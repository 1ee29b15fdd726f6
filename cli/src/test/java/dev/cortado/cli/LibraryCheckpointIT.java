package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.Model;
import dev.cortado.backend.Backend;
import dev.cortado.data.MnistDataset;
import dev.cortado.data.Split;
import dev.cortado.device.Devices;
import dev.cortado.model.ModelSpec;
import dev.cortado.train.Checkpoint;
import dev.cortado.train.Evaluation;
import dev.cortado.train.TrainingConfig;
import dev.cortado.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints cross between the library and the command: a model saved with {@link Model#save} is evaluated by
 * {@code cortado eval} with the library's result and refused by {@code --resume}, which needs training state; a
 * checkpoint of {@code cortado train} loads with {@link Model#load}.
 */
class LibraryCheckpointIT {
    @TempDir
    Path tmp;

    @Test
    void aModelSavedByTheLibraryIsEvaluatedByTheCommandAndNotResumed() throws Exception {
        Path sample = CortadoProcess.sampleData(tmp.resolve("sample"));
        MnistDataset train = MnistDataset.load(sample, Split.TRAIN);
        MnistDataset test = MnistDataset.load(sample, Split.TEST);
        Path saved = tmp.resolve("run").resolve(TrainingRun.LAST_CHECKPOINT);
        Evaluation expected;
        try (Backend cpu = Devices.open("cpu"); Model model = Model.create(ModelSpec.builtIn("mlp"), cpu, 4)) {
            model.fit(train, null, TrainingConfig.builder().epochs(1).batchSize(32).build());
            expected = model.evaluate(test);
            Files.createDirectories(saved.getParent());
            model.save(saved);
        }

        CortadoProcess.Result eval = CortadoProcess.run("eval", "--checkpoint", saved.toString(), "--data",
                sample.toString());
        assertEquals(0, eval.exitCode(), eval.errors().toString());
        assertTrue(eval.out().contains("(model mlp, saved without training state)"), eval.out());
        assertTrue(eval.out().contains("accuracy " + Format.percent(expected.accuracy()) + " ("
                + expected.correct() + "/200)"), eval.out());

        CortadoProcess.Result resume = CortadoProcess.run("train", "--model", "mlp", "--data", sample.toString(),
                "--out", saved.getParent().toString(), "--resume");
        assertEquals(ExitCode.CHECKPOINT.code(), resume.exitCode(), resume.out());
        assertTrue(resume.errors().toString().contains(Checkpoint.NO_TRAINING_STATE), resume.errors().toString());
    }

    @Test
    void aCheckpointOfTheCommandLoadsIntoTheLibrary() throws Exception {
        Path sample = CortadoProcess.sampleData(tmp.resolve("sample"));
        Path out = tmp.resolve("run");
        CortadoProcess.Result train = CortadoProcess.run("train", "--model", "mlp", "--data", sample.toString(),
                "--out", out.toString(), "--epochs", "1");
        assertEquals(0, train.exitCode(), train.errors().toString());
        Checkpoint checkpoint = Checkpoint.read(out.resolve(TrainingRun.LAST_CHECKPOINT));
        try (Backend cpu = Devices.open("cpu");
             Model model = Model.load(out.resolve(TrainingRun.LAST_CHECKPOINT), cpu)) {
            Evaluation result = model.evaluate(MnistDataset.load(sample, Split.TEST));
            assertEquals(checkpoint.history().get(0).test().correct(), result.correct(),
                    "the library's evaluation of the command's checkpoint");
        }
    }
}
