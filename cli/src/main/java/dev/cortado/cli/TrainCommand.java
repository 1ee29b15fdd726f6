package dev.cortado.cli;

import dev.cortado.backend.Backend;
import dev.cortado.data.Dataset;
import dev.cortado.data.Split;
import dev.cortado.device.Devices;
import dev.cortado.model.ModelSpec;
import dev.cortado.train.Checkpoint;
import dev.cortado.train.CheckpointException;
import dev.cortado.train.EpochResult;
import dev.cortado.train.NonFiniteLossException;
import dev.cortado.train.TrainingConfig;
import dev.cortado.train.TrainingConfig.OptimizerKind;
import dev.cortado.train.TrainingConfig.ScheduleKind;
import dev.cortado.train.TrainingPosition;
import dev.cortado.train.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cortado train}: trains a model, with progress, metrics, a plot and resumable checkpoints. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a classifier on an MNIST-format dataset (Fashion-MNIST by default) and writes "
                + "metrics.jsonl, metrics.png and checkpoints (last.safetensors, epoch-NNN.safetensors) into --out.",
                "Defaults are the reference recipe: lenet5, SGD with momentum 0.9, lr 0.01, batches of 64, 3 epochs; "
                        + "the built-in ResNets take lr 0.05, weight decay 5e-4 and a cosine decay unless a recipe "
                        + "option is given.",
                "SIGINT or SIGTERM stops between two steps after writing a checkpoint; --resume continues it."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "lenet5", paramLabel = "MODEL",
            description = "mlp, lenet5, resnet8, resnet20 or the path of a JSON model spec (default: "
                    + "${DEFAULT-VALUE}).")
    String model;

    @Mixin
    DataOption data;

    @Mixin
    DeviceOption device;

    @Option(names = "--epochs", defaultValue = "3", description = "Passes over the training data (default: "
            + "${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Samples per step (default: "
            + "${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.01", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "sgd|adam|adamw",
            description = "Update rule (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--momentum", description = "SGD momentum (default: 0.9 for sgd; not for adam/adamw).")
    Float momentum;

    @Option(names = "--nesterov", description = "Nesterov momentum (sgd).")
    boolean nesterov;

    @Option(names = "--weight-decay", defaultValue = "0", description = "L2 weight decay (decoupled for adamw; "
            + "default: ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--schedule", defaultValue = "constant", paramLabel = "constant|step|cosine",
            description = "Learning-rate schedule: constant, step (x" + TrainingConfig.STEP_GAMMA
                    + " every --step-epochs) or cosine (to 0 at the end) (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--step-epochs", defaultValue = "1", description = "Epochs between decays of the step "
            + "schedule (default: ${DEFAULT-VALUE}).")
    int stepEpochs;

    @Option(names = "--seed", defaultValue = "42", description = "Fixes initial weights, batch order and dropout "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--label-smoothing", defaultValue = "0", paramLabel = "EPS", description = "Label smoothing of "
            + "the cross-entropy, in [0, 1], as PyTorch's label_smoothing; the losses shown include it "
            + "(default: ${DEFAULT-VALUE}).")
    float labelSmoothing;

    @Option(names = "--clip-grad-norm", defaultValue = "0", paramLabel = "NORM", description = "Scale the "
            + "gradients down to this global L2 norm before each update where it is larger, as PyTorch's "
            + "clip_grad_norm_; 0 for none (default: ${DEFAULT-VALUE}).")
    float clipGradNorm;

    @Option(names = "--limit-train", paramLabel = "N", description = "Train on the first N samples only.")
    Integer limitTrain;

    @Option(names = "--limit-test", paramLabel = "N", description = "Evaluate on the first N test samples only.")
    Integer limitTest;

    @Option(names = "--out", defaultValue = "out", paramLabel = "DIR", description = "Output directory (default: "
            + "${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint; give the same "
            + "options as the first time (--epochs may be raised).")
    boolean resume;

    @Option(names = "--overwrite", description = "Start a new run even if --out holds one.")
    boolean overwrite;

    @Option(names = "--auto-resume", description = "Continue the run in --out if it holds one, else start a new "
            + "run: one command for a job's first start and its restarts (containers, Kubernetes).")
    boolean autoResume;

    @Option(names = "--checkpoint-every", defaultValue = "200", paramLabel = "N", description = "Also write a "
            + "checkpoint every N steps, 0 for epoch ends only (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--log-every", defaultValue = "100", paramLabel = "N", description = "Write a metrics line "
            + "(and a progress line when not on a terminal) every N steps (default: ${DEFAULT-VALUE}).")
    int logEvery;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        TrainingConfig config = config();
        ModelSpec modelSpec = ModelOption.resolve(model);
        Path last = out.resolve(TrainingRun.LAST_CHECKPOINT);
        Checkpoint checkpoint = existingRun(last);
        Path outDir = OutputDirectory.prepare(out);
        Path dataDir = data.resolve(stderr);
        String recipe = null;
        if (data.isSample(dataDir) && SampleRecipe.applies(spec.commandLine().getParseResult())) {
            recipe = SampleRecipe.describe(config);
            config = SampleRecipe.apply(config);
        } else if (ResNetRecipe.applies(model, spec.commandLine().getParseResult())) {
            recipe = ResNetRecipe.describe(model);
            config = ResNetRecipe.apply(config);
        }
        Dataset train = DataOption.load(dataDir, Split.TRAIN);
        Dataset test = DataOption.load(dataDir, Split.TEST);
        DeviceOption.Opened opened = device.open(Devices.system());
        try (Backend backend = opened.backend();
             TrainingRun run = checkpoint == null
                     ? TrainingRun.start(backend, modelSpec, config, train, test, outDir)
                     : resumeRun(opened, checkpoint, last, modelSpec, config, train, test)) {
            printHeader(stdout, run, opened, dataDir, outDir, checkpoint, recipe);
            return train(run, outDir, stdout, stderr);
        } catch (IOException e) {
            throw new CliException(ExitCode.OUTPUT, "cannot write to " + outDir + ": " + e.getMessage(), e);
        }
    }

    private TrainingConfig config() {
        if (checkpointEvery < 0) {
            throw new CliException(ExitCode.USAGE, "--checkpoint-every must be >= 0 steps, got " + checkpointEvery);
        }
        if (logEvery < 1) {
            throw new CliException(ExitCode.USAGE, "--log-every must be >= 1 step, got " + logEvery);
        }
        for (Integer limit : new Integer[] {limitTrain, limitTest}) {
            if (limit != null && limit < 1) {
                throw new CliException(ExitCode.USAGE, "--limit-train and --limit-test must be >= 1, got " + limit);
            }
        }
        if (resume && overwrite) {
            throw new CliException(ExitCode.USAGE, "--resume and --overwrite exclude each other");
        }
        if (autoResume && (resume || overwrite)) {
            throw new CliException(ExitCode.USAGE, "--auto-resume excludes --resume and --overwrite");
        }
        OptimizerKind optimizerKind = choice(OptimizerKind.class, "--optimizer", optimizer);
        float momentumValue = momentum != null ? momentum : optimizerKind == OptimizerKind.SGD ? 0.9f : 0f;
        try {
            return new TrainingConfig(optimizerKind, lr, momentumValue, weightDecay, nesterov,
                    choice(ScheduleKind.class, "--schedule", schedule), stepEpochs, epochs, batchSize, seed,
                    limitTrain == null ? 0 : limitTrain, limitTest == null ? 0 : limitTest, labelSmoothing,
                    clipGradNorm);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage(), e);
        }
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String option, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, option + ": unknown value '" + value + "' (expected "
                    + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", ")) + ")");
        }
    }

    /** The checkpoint to resume, or null for a fresh run; refuses to clobber a run unless --overwrite. */
    private Checkpoint existingRun(Path last) {
        boolean exists = Files.exists(last);
        if (resume || autoResume && exists) {
            if (!exists) {
                throw new CliException(ExitCode.CHECKPOINT, "--resume: no checkpoint in " + out + " (expected "
                        + last + "); start without --resume");
            }
            try {
                return Checkpoint.read(last);
            } catch (CheckpointException e) {
                throw new CliException(ExitCode.CHECKPOINT, (resume ? "--resume: " : "--auto-resume: ")
                        + e.getMessage(), e);
            }
        }
        if (exists && !overwrite) {
            throw new CliException(ExitCode.CHECKPOINT, out + " already holds a run (" + last + "): continue it "
                    + "with --resume, start over with --overwrite, or choose another --out");
        }
        return null;
    }

    private static TrainingRun resumeRun(DeviceOption.Opened opened, Checkpoint checkpoint, Path last,
                                         ModelSpec modelSpec, TrainingConfig config, Dataset train, Dataset test) {
        try {
            return TrainingRun.resume(opened.backend(), checkpoint, last, modelSpec, config, train, test);
        } catch (CheckpointException e) {
            throw new CliException(ExitCode.CHECKPOINT, "--resume: " + e.getMessage(), e);
        }
    }

    private void printHeader(PrintWriter stdout, TrainingRun run, DeviceOption.Opened opened, Path dataDir,
                             Path outDir, Checkpoint checkpoint, String recipe) {
        long parameters = run.model().parameters().stream().mapToLong(p -> p.value().size()).sum();
        TrainingConfig c = run.config();
        stdout.println("model: " + run.spec().name() + " (" + String.format(Locale.ROOT, "%,d", parameters)
                + " parameters): " + run.model().describe());
        stdout.println("data: " + data.describe(dataDir) + ": " + String.format(Locale.ROOT, "%,d", run.trainData()
                .count()) + " training, " + String.format(Locale.ROOT, "%,d", run.testData().count())
                + " test images");
        stdout.println("device: " + opened.describe());
        if (recipe != null) {
            stdout.println(recipe);
        }
        stdout.println("training: " + c.optimizer().label() + " lr " + c.lr()
                + (c.optimizer() == OptimizerKind.SGD ? " momentum " + c.momentum() : "")
                + (c.nesterov() ? " nesterov" : "") + (c.weightDecay() != 0 ? " weight decay " + c.weightDecay() : "")
                + (c.labelSmoothing() != 0 ? ", label smoothing " + c.labelSmoothing() : "")
                + (c.clipGradNorm() != 0 ? ", gradient norm clipped at " + c.clipGradNorm() : "")
                + ", " + c.schedule().label() + " schedule, batch " + c.batchSize() + ", " + c.epochs()
                + (c.epochs() == 1 ? " epoch" : " epochs") + " of "
                + run.batchesPerEpoch() + " steps, seed " + c.seed());
        stdout.println("output: " + outDir + (checkpointEvery > 0 ? " (checkpoint every " + checkpointEvery
                + " steps and each epoch)" : " (checkpoint each epoch)"));
        if (checkpoint != null) {
            stdout.println("resuming: " + run.lastCheckpoint() + " at " + checkpoint.position().describe());
            if (checkpoint.position().epoch() >= c.epochs()) {
                stdout.println("nothing to do: the run has completed its " + c.epochs() + " epochs (raise --epochs "
                        + "to train longer)");
            }
        }
        stdout.flush();
    }

    private int train(TrainingRun run, Path outDir, PrintWriter stdout, PrintWriter stderr) throws IOException {
        TrainingPosition start = run.position();
        boolean resumed = start.step() > 0 || start.epoch() > 0;
        ProgressView view = System.console() != null ? new BarProgress(System.out, run.config().epochs())
                : new PlainProgress(stdout, run.config().epochs());
        TrainingRun.Result result;
        try (MetricsLog metrics = resumed ? MetricsLog.resume(outDir, start.step()) : MetricsLog.create(outDir);
             StopSignal stop = StopSignal.install()) {
            RunObserver observer = new RunObserver(view, metrics, outDir, run.spec().name(), logEvery,
                    verbose.verbose, stderr, start.step());
            try {
                result = run.run(observer, stop, checkpointEvery);
            } catch (NonFiniteLossException e) {
                view.close();
                observer.writePlot();
                throw new CliException(ExitCode.DIVERGED, e.getMessage() + "; kept the last good checkpoint "
                        + run.lastCheckpoint() + " (" + run.lastCheckpointPosition().describe() + ")", e);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } finally {
                view.close();
            }
            if (result.complete()) {
                // A stopped run is shutting down, when AWT can no longer start; its resume draws the plot. The
                // last epoch's plot is usually drawn already; a resumed run with nothing left to do draws here.
                observer.writePlotIfStale();
            }
            report(stdout, run, result, outDir);
            stdout.flush();
        }
        return result.complete() ? ExitCode.OK.code() : ExitCode.INTERRUPTED.code();
    }

    private void report(PrintWriter stdout, TrainingRun run, TrainingRun.Result result, Path outDir) {
        List<EpochResult> epochs = result.epochs();
        if (!epochs.isEmpty()) {
            stdout.println();
            stdout.print(summary(epochs));
        }
        if (result.complete()) {
            stdout.println();
            stdout.println("wrote " + outDir.resolve(MetricsLog.FILE_NAME) + ", " + outDir.resolve(CurvePlot.FILE_NAME)
                    + ", " + outDir.resolve(TrainingRun.LAST_CHECKPOINT) + " and " + epochs.size()
                    + " epoch checkpoint" + (epochs.size() == 1 ? "" : "s"));
        } else {
            stdout.println("stopped at " + result.position().describe() + "; checkpoint " + run.lastCheckpoint()
                    + "; to continue, run the same command with --resume");
        }
    }

    /** The per-epoch table printed at the end. */
    static String summary(List<EpochResult> epochs) {
        TextTable table = new TextTable(">epoch", ">train loss", ">train acc", ">test loss", ">test acc",
                ">images/s", ">time");
        for (EpochResult e : epochs) {
            table.add(e.epoch() + 1, Format.loss(e.trainLoss()), Format.percent(e.trainAccuracy()),
                    e.test() == null ? "-" : Format.loss(e.test().loss()),
                    e.test() == null ? "-" : Format.percent(e.test().accuracy()), Format.rate(e.imagesPerSecond()),
                    Format.seconds(e.seconds()));
        }
        return table.render();
    }
}
