package dev.cortado.cli;

import dev.cortado.backend.Backend;
import dev.cortado.data.Dataset;
import dev.cortado.device.Device;
import dev.cortado.device.Devices;
import dev.cortado.io.IoErrors;
import dev.cortado.model.ModelSpec;
import dev.cortado.train.Checkpoint;
import dev.cortado.train.CheckpointException;
import dev.cortado.train.EpochResult;
import dev.cortado.train.NonFiniteLossException;
import dev.cortado.train.PreflightException;
import dev.cortado.train.TrainingConfig;
import dev.cortado.train.TrainingConfig.OptimizerKind;
import dev.cortado.train.TrainingConfig.ScheduleKind;
import dev.cortado.train.TrainingPosition;
import dev.cortado.train.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
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
        description = {"Trains a model on a dataset (IDX, CIFAR-10 binary, an image folder or CSV, recognised by its "
                + "files; Fashion-MNIST by default) and writes metrics.jsonl, metrics.png and checkpoints "
                + "(last.safetensors, epoch-NNN.safetensors) into --out.",
                "Defaults are the reference recipe: lenet5, SGD with momentum 0.9, lr 0.01, batches of 64, 3 epochs; "
                        + "the built-in ResNets take lr 0.05, weight decay 5e-4 and a cosine decay unless a recipe "
                        + "option is given.",
                "SIGINT or SIGTERM stops the run within one layer's time and checkpoints its last completed step; "
                        + "--resume continues it."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TrainOptions options;

    @Mixin
    DataOption data;

    @Mixin
    InputOptions input;

    @Mixin
    DeviceOption device;

    @Option(names = "--out", defaultValue = "out", paramLabel = "DIR", description = "Output directory (default: "
            + "${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        TrainingConfig config = config();
        ModelSpec modelSpec = input.shaped(options.modelSpec());
        try (StopSignal stop = StopSignal.install(stderr)) {
            Path outDir = OutputDirectory.prepare(out);
            try (RunLock lock = RunLock.acquire(outDir)) {
                return train(outDir, config, modelSpec, stop, stdout, stderr);
            }
        } catch (IOException e) {
            throw new CliException(ExitCode.OUTPUT, "cannot write to " + out + ": " + describe(e), e);
        }
    }

    /**
     * Trains into {@code outDir}, whose lock this process holds. Nothing but the lock is written there before the
     * run has passed every check, and a new run deletes the files of the one it overwrites only then.
     */
    private int train(Path outDir, TrainingConfig configured, ModelSpec configuredModel, StopSignal stop,
                      PrintWriter stdout, PrintWriter stderr) throws IOException {
        RunFiles.deleteLeftovers(outDir);
        Path last = outDir.resolve(TrainingRun.LAST_CHECKPOINT);
        Checkpoint checkpoint = existingRun(outDir, last);
        if (checkpoint != null) {
            CheckpointNote.ifUnchecked(stderr, last, checkpoint);
        }
        Path dataDir = data.resolve(stderr);
        TrainingConfig config = configured;
        String recipe = null;
        if (data.isSample(dataDir) && SampleRecipe.applies(spec.commandLine().getParseResult())) {
            recipe = SampleRecipe.describe(config);
            config = SampleRecipe.apply(config);
        } else if (ResNetRecipe.applies(options.model(), spec.commandLine().getParseResult())) {
            config = ResNetRecipe.apply(config);
            recipe = ResNetRecipe.describe(options.model(), config);
        }
        DataOption.Splits splits = data.forTraining(dataDir, configuredModel.input(), config.trainLimit(), input);
        Dataset train = splits.train();
        Dataset test = splits.test();
        ModelSpec modelSpec = ModelOption.forSamples(options.model(), configuredModel, train.sampleShape());
        DeviceOption.Opened opened = device.open(Devices.system());
        try (Backend backend = opened.backend();
             TrainingRun run = checkpoint == null
                     ? TrainingRun.start(backend, modelSpec, config, train, test, outDir)
                     : resumeRun(opened, checkpoint, last, modelSpec, config, train, test)) {
            if (checkpoint == null && options.overwrite()) {
                RunFiles.delete(outDir);
            }
            printHeader(stdout, run, opened, splits, outDir, checkpoint, recipe);
            return train(run, outDir, stdout, stderr, stop);
        } catch (PreflightException e) {
            throw failedCheck(e, opened, dataDir);
        }
    }

    /** A check before step 0 that failed, with its exit code and, for memory, the options that fix it. */
    private CliException failedCheck(PreflightException e, DeviceOption.Opened opened, Path dataDir) {
        return switch (e.problem()) {
            case DATA -> new CliException(ExitCode.DATA, data.describe(dataDir) + ": " + e.getMessage(), e);
            case MODEL -> new CliException(ExitCode.MODEL, e.getMessage(), e);
            case MEMORY -> new CliException(ExitCode.OUT_OF_MEMORY, e.getMessage()
                    + (opened.backend().info().device().equals(Device.CPU) ? ", or " + MemoryHint.moreHeap() : ""), e);
        };
    }

    private TrainingConfig config() {
        if (out.toString().isEmpty()) {
            throw new CliException(ExitCode.USAGE, "--out must name a directory, got an empty string (for the current "
                    + "directory, give --out .)");
        }
        return options.config();
    }

    /**
     * The checkpoint to resume, or null for a fresh run. A directory holds a run when any file a run writes is
     * there ({@link RunFiles}), not only {@code last}: a fresh run refuses it unless --overwrite, and a run whose
     * last checkpoint is gone is neither resumed nor overwritten without --overwrite.
     */
    private Checkpoint existingRun(Path outDir, Path last) throws IOException {
        List<String> files = RunFiles.existing(outDir);
        boolean exists = files.contains(TrainingRun.LAST_CHECKPOINT);
        if (options.resume() || options.autoResume() && exists) {
            if (!exists) {
                throw new CliException(ExitCode.CHECKPOINT, "--resume: no checkpoint in " + out + " (expected "
                        + last + ")" + (files.isEmpty() ? "; start without --resume"
                        : "; it holds " + String.join(", ", files) + ": " + withoutLast(files)));
            }
            try {
                return Checkpoint.read(last);
            } catch (CheckpointException e) {
                throw new CliException(ExitCode.CHECKPOINT, (options.resume() ? "--resume: " : "--auto-resume: ")
                        + e.getMessage(), e);
            }
        }
        if (!files.isEmpty() && !options.overwrite()) {
            throw new CliException(ExitCode.CHECKPOINT, out + " already holds a run (" + String.join(", ", files)
                    + ")" + (exists ? ": continue it with --resume, start over with --overwrite, or choose another "
                    + "--out" : " but not its " + TrainingRun.LAST_CHECKPOINT + ": " + withoutLast(files)));
        }
        return null;
    }

    /** What to do with a run whose {@value TrainingRun#LAST_CHECKPOINT} is gone but whose other files are there. */
    private String withoutLast(List<String> files) {
        List<String> epochs = files.stream().filter(TrainingRun::isCheckpointName).toList();
        return (epochs.isEmpty() ? "" : "to continue from the last epoch, copy "
                + out.resolve(epochs.get(epochs.size() - 1)) + " to " + out.resolve(TrainingRun.LAST_CHECKPOINT)
                + " and use --resume; ") + "to start over, use --overwrite, or choose another --out";
    }

    private static TrainingRun resumeRun(DeviceOption.Opened opened, Checkpoint checkpoint, Path last,
                                         ModelSpec modelSpec, TrainingConfig config, Dataset train, Dataset test) {
        try {
            return TrainingRun.resume(opened.backend(), checkpoint, last, modelSpec, config, train, test);
        } catch (CheckpointException e) {
            throw new CliException(ExitCode.CHECKPOINT, "--resume: " + e.getMessage(), e);
        }
    }

    private void printHeader(PrintWriter stdout, TrainingRun run, DeviceOption.Opened opened, DataOption.Splits splits,
                             Path outDir, Checkpoint checkpoint, String recipe) {
        long parameters = run.model().parameters().stream().mapToLong(p -> p.value().size()).sum();
        TrainingConfig c = run.config();
        stdout.println("model: " + run.spec().name() + " (" + String.format(Locale.ROOT, "%,d", parameters)
                + " parameters): " + run.model().describe());
        stdout.println("data: " + splits.describe(run.trainData().count(), run.testData().count()));
        if (splits.preprocessing() != null) {
            stdout.println("input: " + splits.preprocessing());
        }
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
        stdout.println("output: " + outDir + (options.checkpointEvery() > 0 ? " (checkpoint every "
                + options.checkpointEvery()
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

    private int train(TrainingRun run, Path outDir, PrintWriter stdout, PrintWriter stderr, StopSignal stop)
            throws IOException {
        TrainingPosition start = run.position();
        boolean resumed = start.step() > 0 || start.epoch() > 0;
        Metric metric = Metric.of(run.objective());
        ProgressView view = System.console() != null ? new BarProgress(System.out, run.config().epochs(), metric)
                : new PlainProgress(stdout, run.config().epochs(), metric);
        TrainingRun.Result result;
        try (MetricsLog metrics = resumed ? MetricsLog.resume(outDir, start.step(), metric)
                : MetricsLog.create(outDir, metric)) {
            RunObserver observer = new RunObserver(view, metrics, outDir, run.spec().name(), options.logEvery(),
                    verbose.verbose, stderr, start.step());
            try {
                result = run.run(observer, stop, options.checkpointEvery());
            } catch (NonFiniteLossException e) {
                view.close();
                observer.writePlot();
                throw new CliException(ExitCode.DIVERGED, e.getMessage() + "; kept the last good checkpoint "
                        + run.lastCheckpoint() + " (" + run.lastCheckpointPosition().describe() + ")", e);
            } catch (UncheckedIOException e) {
                throw notWritten(run, e.getMessage(), e);
            } catch (IOException e) {
                throw notWritten(run, describe(e), e);
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

    /** A write of the run that failed: what and why, and the checkpoint that is left to resume from. */
    private CliException notWritten(TrainingRun run, String what, Exception e) {
        return new CliException(ExitCode.OUTPUT, "cannot write to " + out + ": " + what
                + (run.lastCheckpoint() == null ? "" : "; the last checkpoint written is " + run.lastCheckpoint()
                + " (" + run.lastCheckpointPosition().describe() + ")"), e);
    }

    /** The file, when the exception names one, and the reason. */
    private static String describe(IOException e) {
        return (e instanceof FileSystemException f && f.getFile() != null ? f.getFile() + ": " : "")
                + IoErrors.reason(e);
    }

    private void report(PrintWriter stdout, TrainingRun run, TrainingRun.Result result, Path outDir) {
        List<EpochResult> epochs = result.epochs();
        if (!epochs.isEmpty()) {
            stdout.println();
            stdout.print(EpochTable.render(epochs, Metric.of(run.objective())));
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
}
