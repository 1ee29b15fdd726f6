package dev.cortado.spark;

import dev.cortado.cli.CliException;
import dev.cortado.cli.CurvePlot;
import dev.cortado.cli.ExitCode;
import dev.cortado.cli.MetricsLog;
import dev.cortado.cli.ResNetRecipe;
import dev.cortado.cli.TrainOptions;
import dev.cortado.model.LayerSpec;
import dev.cortado.model.ModelSpec;
import dev.cortado.tensor.Shape;
import dev.cortado.train.Checkpoint;
import dev.cortado.train.CheckpointException;
import dev.cortado.train.TrainingConfig;
import dev.cortado.train.TrainingConfig.OptimizerKind;
import dev.cortado.train.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cortado-spark train}: {@code cortado train} on {@code --workers} Spark tasks. Each task is a worker that
 * trains its share of every batch ({@code --batch-size} samples) and averages gradients with the others; the batch
 * of a step, the one the checkpoint records, is that of all workers together.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a classifier on an MNIST-format dataset with data-parallel workers, one Spark task "
                + "each, and writes metrics.jsonl, metrics.png and checkpoints into --out, as cortado train does.",
                "--data and --out must be readable (and --out writable) by every executor: a path on storage they "
                        + "all mount, or a Hadoop file system URI (hdfs://, s3a://, file://...).",
                "When a worker or its executor is lost, the stage is submitted again and resumes from the last "
                        + "checkpoint, up to --restarts times."})
final class SparkTrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--workers", required = true, paramLabel = "N", description = "Workers: Spark tasks that "
            + "train together, each on --batch-size samples of every step.")
    int workers;

    @Mixin
    TrainOptions options;

    @Option(names = "--data", required = true, paramLabel = "DIR|URI", description = "Directory of MNIST-format IDX "
            + "files that every executor can read: a shared path or a Hadoop file system URI.")
    String data;

    @Option(names = "--out", defaultValue = "out", paramLabel = "DIR|URI", description = "Output directory that every "
            + "executor can write: a shared path or a Hadoop file system URI (default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--device", paramLabel = "DEVICE", description = "cpu, opencl:N or cuda:N for every worker "
            + "(default: the GPU Spark assigns each task, else the CPU).")
    String device;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else "
            + "local[N] for N workers).")
    String master;

    @Option(names = "--restarts", defaultValue = "3", paramLabel = "N", description = "Submit the workers' stage "
            + "again at most N times after a failure; each resumes from the last checkpoint (default: "
            + "${DEFAULT-VALUE}).")
    int restarts;

    @Option(names = "--ring-timeout", defaultValue = "600", paramLabel = "SECONDS", description = "Give up a worker "
            + "that sends or takes no gradients for this long; longer than any evaluation or checkpoint (default: "
            + "${DEFAULT-VALUE}).")
    int ringTimeout;

    @Option(names = "--time-exchange", hidden = true, description = "For benchmarks: sum one value over the ring "
            + "before each gradient sum, to time the wait for the slowest worker apart from the sum.")
    boolean timeExchange;

    @Option(names = "--verbose", description = "A line per checkpoint, and the stack trace of an error.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        if (workers < 1 || restarts < 0 || ringTimeout < 1) {
            throw new CliException(ExitCode.USAGE, "--workers and --ring-timeout must be >= 1 and --restarts >= 0, "
                    + "got " + workers + ", " + ringTimeout + " and " + restarts);
        }
        long stepBatch = (long) workers * options.batchSize();
        if (stepBatch > TrainingConfig.MAX_BATCH_SIZE) {
            throw new CliException(ExitCode.USAGE, "--workers x --batch-size is " + stepBatch + " samples per step, "
                    + "more than " + TrainingConfig.MAX_BATCH_SIZE);
        }
        TrainingConfig config = options.config((int) stepBatch);
        String recipe = null;
        if (ResNetRecipe.applies(options.model(), spec.commandLine().getParseResult())) {
            config = ResNetRecipe.apply(config);
            recipe = ResNetRecipe.describe(options.model(), config);
        }
        ModelSpec model = options.modelSpec();
        SparkConf conf = new SparkConf();
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[" + workers + "]");
        }
        conf.setIfMissing("spark.app.name", "cortado train " + model.name() + " on " + workers + " workers");
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            HadoopConf hadoop = new HadoopConf(spark.hadoopConfiguration());
            try (RunStorage storage = RunStorage.of(out, hadoop)) {
                Checkpoint checkpoint = existingRun(storage, model, config);
                prepareOutput(storage, checkpoint);
                printHeader(stdout, spark, model, config, recipe, checkpoint, storage);
                JobSpec job = new JobSpec(model.toJson(), config.toJson(), workers, data, out, device,
                        options.checkpointEvery(), options.logEvery(), verbose, 120, ringTimeout, hadoop,
                        new SecureRandom().nextLong(), timeExchange);
                List<WorkerReport> reports;
                try {
                    reports = new DistributedTraining(spark, stdout).train(job, restarts);
                } catch (TrainingFailedException e) {
                    throw new CliException(e.exitCode(), e.getMessage(), e);
                }
                report(stdout, reports, storage);
                return reports.get(0).complete() ? ExitCode.OK.code() : ExitCode.INTERRUPTED.code();
            }
        }
    }

    /** The checkpoint to resume, or null for a new run; refuses to clobber a run unless --overwrite. */
    private Checkpoint existingRun(RunStorage storage, ModelSpec model, TrainingConfig config) {
        String last = TrainingRun.LAST_CHECKPOINT;
        try {
            boolean exists = storage.exists(last);
            if (options.resume() || options.autoResume() && exists) {
                Optional<java.nio.file.Path> file = storage.fetch(last);
                if (file.isEmpty()) {
                    throw new CliException(ExitCode.CHECKPOINT, "--resume: no checkpoint in " + out + " (expected "
                            + storage.describe(last) + "); start without --resume");
                }
                Checkpoint checkpoint = Checkpoint.read(file.get());
                checkResumable(checkpoint, storage.describe(last), model, config);
                return checkpoint;
            }
            if (exists && !options.overwrite()) {
                throw new CliException(ExitCode.CHECKPOINT, out + " already holds a run (" + storage.describe(last)
                        + "): continue it with --resume, start over with --overwrite, or choose another --out");
            }
            return null;
        } catch (CheckpointException e) {
            throw new CliException(ExitCode.CHECKPOINT, "--resume: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CliException(ExitCode.OUTPUT, "cannot read " + out + ": " + e.getMessage(), e);
        }
    }

    /** The checks {@code TrainingRun.resume} makes that need no data, made before any task starts. */
    private void checkResumable(Checkpoint checkpoint, String file, ModelSpec model, TrainingConfig config) {
        if (!checkpoint.hasTrainingState()) {
            throw new CliException(ExitCode.CHECKPOINT, "--resume: " + file + " " + Checkpoint.NO_TRAINING_STATE);
        }
        if (!checkpoint.spec().equals(model)) {
            throw new CliException(ExitCode.CHECKPOINT, "--resume: " + file + " is from model '"
                    + checkpoint.spec().name() + "', not '" + model.name() + "': pass the model it was trained with, "
                    + "or another --out");
        }
        List<String> differences = checkpoint.config().differencesFrom(config);
        if (!differences.isEmpty()) {
            boolean batch = checkpoint.config().batchSize() != config.batchSize();
            throw new CliException(ExitCode.CHECKPOINT, "--resume: " + file + " was trained with other settings "
                    + "(checkpoint vs now: " + String.join(", ", differences) + "): resume with the options of the "
                    + "first run" + (batch ? " (the batch size of a step is --workers x --batch-size: "
                    + config.batchSize() + " now)" : ""));
        }
    }

    private void prepareOutput(RunStorage storage, Checkpoint checkpoint) {
        try {
            storage.checkWritable();
            if (checkpoint == null) {
                // A new run: a restart must not find the checkpoint of the run it replaces.
                storage.delete(TrainingRun.LAST_CHECKPOINT);
            }
        } catch (IOException e) {
            throw new CliException(ExitCode.OUTPUT, "cannot write to output directory " + out + ": " + e, e);
        }
    }

    private void printHeader(PrintWriter stdout, JavaSparkContext spark, ModelSpec model, TrainingConfig c,
                             String recipe, Checkpoint checkpoint, RunStorage storage) {
        stdout.println("model: " + model.name() + " (" + String.format(Locale.ROOT, "%,d", parameters(model))
                + " parameters)");
        stdout.println("data: " + data + " (read by every worker)");
        stdout.println("workers: " + workers + " Spark tasks in one barrier stage, on " + spark.master() + " (Spark "
                + spark.version() + "); devices: " + (device != null ? device : "the GPU Spark assigns each task, "
                + "else the CPU"));
        if (recipe != null) {
            stdout.println(recipe);
        }
        stdout.println("training: " + c.optimizer().label() + " lr " + c.lr()
                + (c.optimizer() == OptimizerKind.SGD ? " momentum " + c.momentum() : "")
                + (c.nesterov() ? " nesterov" : "") + (c.weightDecay() != 0 ? " weight decay " + c.weightDecay() : "")
                + ", " + c.schedule().label() + " schedule, batch " + c.batchSize() + " (" + workers + " workers x "
                + options.batchSize() + "), " + c.epochs() + (c.epochs() == 1 ? " epoch" : " epochs") + ", seed "
                + c.seed());
        stdout.println("output: " + out + (options.checkpointEvery() > 0 ? " (worker 0 writes a checkpoint every "
                + options.checkpointEvery() + " steps and each epoch)" : " (worker 0 writes a checkpoint each epoch)"));
        if (checkpoint != null) {
            stdout.println("resuming: " + storage.describe(TrainingRun.LAST_CHECKPOINT) + " at "
                    + checkpoint.position().describe());
        }
        stdout.flush();
    }

    private static long parameters(ModelSpec model) {
        long count = 0;
        Shape shape = model.input().prepend(1);
        for (LayerSpec layer : model.layers()) {
            count += layer.parameterCount(shape);
            shape = layer.outputShape(shape);
        }
        return count;
    }

    private void report(PrintWriter stdout, List<WorkerReport> reports, RunStorage storage) {
        for (WorkerReport r : reports) {
            stdout.println("worker " + r.rank() + ": " + r.device());
        }
        WorkerReport first = reports.get(0);
        if (first.steps() > 0) {
            stdout.println(String.format(Locale.ROOT, "worker 0: median step %.2f ms, of which the gradients' sum "
                    + "over the ring %.2f ms%s (the whole exchange, with device copies and transfers: %.2f ms)",
                    first.medianStepMillis(), first.medianRingMillis(), timeExchange ? String.format(Locale.ROOT,
                    " after a median wait of %.2f ms for the slowest worker", first.medianWaitMillis()) : "",
                    first.medianExchangeMillis()));
        }
        if (!first.epochTable().isEmpty()) {
            stdout.println();
            stdout.print(first.epochTable());
        }
        stdout.println();
        stdout.println("wrote " + storage.describe(MetricsLog.FILE_NAME) + ", " + storage.describe(CurvePlot.FILE_NAME)
                + " and " + storage.describe(TrainingRun.LAST_CHECKPOINT) + " (ended at " + first.position() + ")");
        stdout.flush();
    }
}
