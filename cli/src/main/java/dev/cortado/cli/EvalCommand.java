package dev.cortado.cli;

import dev.cortado.backend.Backend;
import dev.cortado.data.DataInfo;
import dev.cortado.data.Dataset;
import dev.cortado.device.Devices;
import dev.cortado.nn.Sequential;
import dev.cortado.train.Checkpoint;
import dev.cortado.train.CheckpointException;
import dev.cortado.train.Evaluation;
import dev.cortado.train.Evaluator;
import dev.cortado.train.Objective;
import dev.cortado.train.Preflight;
import dev.cortado.train.TrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cortado eval}: a checkpoint's accuracy, loss and confusion matrix (or, for a regression, its mean absolute
 * error and loss) on the test split, read as the checkpoint's model was trained: images at its input's shape,
 * labels by its class names, inputs normalized as it stored.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluates a checkpoint on the test split: accuracy, loss, the confusion matrix and the "
                + "accuracy of each class, named as the checkpoint names them (the mean absolute error and loss of a "
                + "regression). The inputs are normalized as the checkpoint says.")
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "A checkpoint written by 'cortado train' (e.g. out/last.safetensors).")
    Path checkpointFile;

    @Mixin
    DataOption data;

    @Mixin
    DeviceOption device;

    @Option(names = "--batch-size", defaultValue = "256", description = "Samples per forward pass (default: "
            + "${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate the first N test samples only.")
    Integer limit;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        if (batchSize < 1 || batchSize > TrainingConfig.MAX_BATCH_SIZE) {
            throw new CliException(ExitCode.USAGE, "--batch-size must be 1.." + TrainingConfig.MAX_BATCH_SIZE + ", got "
                    + batchSize);
        }
        if (limit != null && limit < 1) {
            throw new CliException(ExitCode.USAGE, "--limit must be >= 1, got " + limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.read(checkpointFile);
        } catch (CheckpointException e) {
            throw new CliException(ExitCode.CHECKPOINT, e.getMessage(), e);
        }
        PrintWriter err = spec.commandLine().getErr();
        CheckpointNote.ifUnchecked(err, checkpointFile, checkpoint);
        checkpoint.nonFinite().ifPresent(what -> {
            err.println("cortado eval: warning: " + checkpointFile + " holds NaN or infinite values: " + what
                    + "; the results below are not meaningful");
            err.flush();
        });
        Path dataDir = data.resolve(err);
        DataOption.Splits splits = data.forEvaluation(dataDir, checkpoint.spec().input(), checkpoint.data());
        Dataset test = splits.test().limit(limit == null ? 0 : limit);
        Preflight.fits(checkpoint.spec(), test, "test");
        DeviceOption.Opened opened = device.open(Devices.system());
        Evaluation result;
        try (Backend backend = opened.backend();
             Sequential model = checkpoint.spec().build(backend, 0);
             Objective objective = Objective.forTargets(test.targets());
             Evaluator evaluator = new Evaluator(backend, model, objective, batchSize)) {
            checkpoint.restoreModel(model);
            out.println("checkpoint: " + checkpointFile + " (model " + checkpoint.spec().name() + ", "
                    + (checkpoint.hasTrainingState() ? checkpoint.history().size() + " epochs trained, step "
                    + checkpoint.position().step() : "saved without training state") + ")");
            out.println("data: " + splits.describe(0, test.count()));
            if (splits.preprocessing() != null) {
                out.println("input: " + splits.preprocessing());
            }
            out.println("device: " + opened.describe());
            out.flush();
            result = evaluator.evaluate(test);
        } catch (CheckpointException e) {
            throw new CliException(ExitCode.CHECKPOINT, checkpointFile + ": " + e.getMessage(), e);
        }
        out.println();
        if (!result.isClassification()) {
            out.println("mean absolute error " + Format.value(result.metric()) + " (" + result.count() + " rows), loss "
                    + Format.loss(result.loss()));
            out.flush();
            return ExitCode.OK.code();
        }
        out.println("accuracy " + Format.percent(result.accuracy()) + " (" + result.correct() + "/" + result.count()
                + "), loss " + Format.loss(result.loss()));
        out.println();
        DataInfo names = checkpoint.data().classNames().isEmpty()
                ? new DataInfo(test.targets().classNames(), checkpoint.data().preprocessing()) : checkpoint.data();
        out.print(report(result, names));
        out.flush();
        return ExitCode.OK.code();
    }

    /**
     * The confusion matrix (rows: true class) followed by the per-class accuracy, the classes named as
     * {@code names} names them.
     */
    static String report(Evaluation result, DataInfo names) {
        int classes = result.confusion().length;
        String[] columns = new String[classes + 2];
        columns[0] = "true \\ predicted";
        for (int c = 0; c < classes; c++) {
            columns[c + 1] = ">" + c;
        }
        columns[classes + 1] = ">accuracy";
        TextTable table = new TextTable(columns);
        for (int label = 0; label < classes; label++) {
            Object[] row = new Object[classes + 2];
            row[0] = label + " " + names.className(label);
            for (int c = 0; c < classes; c++) {
                row[c + 1] = result.confusion()[label][c];
            }
            row[classes + 1] = Format.percent(result.classAccuracy(label));
            table.add(row);
        }
        return "confusion matrix and per-class accuracy (rows: true class, columns: predicted class)\n"
                + table.render();
    }
}
