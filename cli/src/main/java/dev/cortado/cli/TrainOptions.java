package dev.cortado.cli;

import dev.cortado.model.ModelSpec;
import dev.cortado.train.TrainingConfig;
import dev.cortado.train.TrainingConfig.OptimizerKind;
import dev.cortado.train.TrainingConfig.ScheduleKind;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * The options of {@code cortado train} that say what to train and how, whatever runs it: the model, the recipe
 * (epochs, batch size, optimizer, schedule, seed, limits), resuming and the checkpoint and log intervals. A picocli
 * mixin ({@code @Mixin TrainOptions options}), shared by {@code cortado train} and the Spark launcher so that both
 * take the same options with the same defaults and checks. Where the data comes from, where results go and which
 * device runs are the command's own options.
 */
public final class TrainOptions {
    @Option(names = "--model", defaultValue = "lenet5", paramLabel = "MODEL",
            description = "mlp, lenet5, resnet8, resnet20 or the path of a JSON model spec (default: "
                    + "${DEFAULT-VALUE}).")
    String model;

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

    /**
     * The training configuration the options give, with {@code --batch-size} samples per step.
     *
     * @throws CliException with {@link ExitCode#USAGE} for a value out of range or options that exclude each other
     */
    public TrainingConfig config() {
        return config(batchSize);
    }

    /**
     * The training configuration the options give, with {@code stepBatchSize} samples per step instead of
     * {@code --batch-size} (data-parallel training: the batch of all workers together).
     *
     * @throws CliException with {@link ExitCode#USAGE} for a value out of range or options that exclude each other
     */
    public TrainingConfig config(int stepBatchSize) {
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
                    choice(ScheduleKind.class, "--schedule", schedule), stepEpochs, epochs, stepBatchSize, seed,
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

    /**
     * The model {@code --model} names.
     *
     * @throws CliException with {@link ExitCode#MODEL} for an unknown name, a missing file or a bad spec
     */
    public ModelSpec modelSpec() {
        return ModelOption.resolve(model);
    }

    /** {@code --model} as given: a built-in model's name or a spec file's path. */
    public String model() {
        return model;
    }

    /** {@code --batch-size}. */
    public int batchSize() {
        return batchSize;
    }

    /** {@code --resume}: continue the run in the output directory, which must hold one. */
    public boolean resume() {
        return resume;
    }

    /** {@code --overwrite}: start a new run even where the output directory holds one. */
    public boolean overwrite() {
        return overwrite;
    }

    /** {@code --auto-resume}: continue the run in the output directory if there is one, else start one. */
    public boolean autoResume() {
        return autoResume;
    }

    /** {@code --checkpoint-every}: steps between checkpoints, 0 for epoch ends only. */
    public int checkpointEvery() {
        return checkpointEvery;
    }

    /** {@code --log-every}: steps between metrics lines. */
    public int logEvery() {
        return logEvery;
    }
}
