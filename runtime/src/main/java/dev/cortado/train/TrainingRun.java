package dev.cortado.train;

import dev.cortado.backend.Backend;
import dev.cortado.data.BatchLoader;
import dev.cortado.data.DataInfo;
import dev.cortado.data.Dataset;
import dev.cortado.data.Shard;
import dev.cortado.model.ModelSpec;
import dev.cortado.nn.PassStoppedException;
import dev.cortado.nn.Sequential;
import dev.cortado.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * A training run that survives interruption: it trains epoch after epoch from a
 * {@link TrainingPosition}, writes a {@link Checkpoint} every N steps and at the end of each epoch, stops
 * cleanly between two steps when asked, and continues from a checkpoint exactly where it stopped, with the same
 * batches, learning rates and dropout masks, so a resumed run ends with the same weights as an uninterrupted one.
 *
 * <p>Files in the checkpoint directory: {@value #LAST_CHECKPOINT}, replaced at every checkpoint, and
 * {@code epoch-NNN.safetensors} after each completed epoch (1-based). Every write goes to a temporary file that
 * is then renamed, so a crash leaves the previous checkpoint intact. A fresh run writes a checkpoint before its
 * first step, so there is always one to go back to. A run without a directory ({@link #of} with null, as
 * {@link dev.cortado.Model#fit} makes by default) writes no checkpoints.
 *
 * <p>What the model learns follows from the training data's {@link dev.cortado.data.Targets}: class indices are
 * trained with the softmax cross-entropy and measured by accuracy, regression values with the mean squared error
 * and measured by the mean absolute error ({@link Objective#forTargets}).
 *
 * <p>A run can be one worker of data-parallel training ({@link #dataParallel}): every worker builds the same run,
 * trains on its share of each batch, and exchanges gradients with the others; only worker 0 writes checkpoints.
 */
public final class TrainingRun implements AutoCloseable {
    /** The file name of the latest checkpoint, the one {@code --resume} reads. */
    public static final String LAST_CHECKPOINT = "last.safetensors";
    private static final Pattern EPOCH_CHECKPOINT = Pattern.compile("epoch-\\d{3,}\\.safetensors");

    /** Progress of a run: the trainer's steps and completed epochs, and each checkpoint written. */
    public interface Listener extends TrainingListener {
        /** After each checkpoint write, with the file and the position it holds. */
        default void onCheckpoint(Path file, TrainingPosition position) {
        }
    }

    /**
     * How a call to {@link #run} ended.
     *
     * @param complete true when every epoch ran, false when the run stopped on request
     * @param epochs the results of all completed epochs, those before a resume included
     * @param position where the run stands now (and where its last checkpoint stands)
     */
    public record Result(boolean complete, List<EpochResult> epochs, TrainingPosition position) {
    }

    private final ModelSpec spec;
    private final TrainingConfig config;
    private final Dataset train;
    private final Dataset test;
    private final Path directory;
    private final Sequential model;
    /** True when the run built the model and closes it; false for a network it was given. */
    private final boolean ownsModel;
    private final Objective objective;
    private final Optimizer optimizer;
    private final Trainer trainer;
    private final StepRollback rollback;
    private final List<EpochResult> history = new ArrayList<>();
    private TrainingPosition position;
    private EpochResult partialEpoch;
    private Path lastCheckpoint;
    private TrainingPosition lastCheckpointPosition;
    /** False for the workers of data-parallel training other than worker 0. */
    private boolean writesCheckpoints = true;

    private TrainingRun(Backend backend, ModelSpec spec, Sequential model, boolean ownsModel, TrainingConfig config,
                        Dataset train, Dataset test, Path directory) {
        this.spec = spec;
        this.config = config;
        this.train = train.limit(config.trainLimit());
        this.test = test == null ? null : test.limit(config.testLimit());
        this.directory = directory;
        this.model = model;
        this.ownsModel = ownsModel;
        this.objective = Objective.forTraining(train.targets(), config);
        this.optimizer = config.newOptimizer(model.parameters());
        this.trainer = new Trainer(backend, model, objective, optimizer,
                config.newSchedule(BatchLoader.batchCount(this.train.count(), config.batchSize())),
                config.batchSize(), config.seed());
        this.rollback = new StepRollback(model);
        this.position = TrainingPosition.start(this.train.count());
    }

    /**
     * A new run from freshly initialized weights, after the {@link Preflight} checks; nothing is written before
     * {@link #run}.
     *
     * @param test evaluated after each epoch, or null for none
     * @param directory where checkpoints go; created when missing
     * @throws PreflightException when the data does not fit the model or a batch does not fit the device
     */
    public static TrainingRun start(Backend backend, ModelSpec spec, TrainingConfig config, Dataset train,
                                    Dataset test, Path directory) {
        Preflight.check(backend, spec, config, train, test);
        return new TrainingRun(backend, spec, spec.build(backend, config.seed()), true, config, train, test,
                directory);
    }

    /**
     * A new run that trains an existing network of {@code spec} from its current weights, after the
     * {@link Preflight} checks; the configuration's seed orders the batches. The network stays open when the run
     * is closed.
     *
     * @param test evaluated after each epoch, or null for none
     * @param directory where checkpoints go (created when missing), or null for none
     * @throws PreflightException when the data does not fit the model or a batch does not fit the device
     */
    public static TrainingRun of(Backend backend, ModelSpec spec, Sequential network, TrainingConfig config,
                                 Dataset train, Dataset test, Path directory) {
        Preflight.check(backend, spec, config, train, test);
        return new TrainingRun(backend, spec, network, false, config, train, test, directory);
    }

    /**
     * Continues the run a checkpoint holds. The requested model and configuration must be the checkpoint's, but
     * the number of epochs may differ (to train longer) unless the cosine schedule depends on it, and the
     * training data must have as many samples as when the checkpoint was made.
     *
     * @throws CheckpointException saying what differs, what in the checkpoint does not fit the model, or which
     *     of its tensors hold NaN or infinite values
     * @throws PreflightException when the data does not fit the model or a batch does not fit the device
     */
    public static TrainingRun resume(Backend backend, Checkpoint checkpoint, Path checkpointFile,
                                     ModelSpec spec, TrainingConfig config, Dataset train, Dataset test)
            throws CheckpointException {
        if (!checkpoint.hasTrainingState()) {
            throw new CheckpointException(checkpointFile + " " + Checkpoint.NO_TRAINING_STATE);
        }
        if (!checkpoint.spec().equals(spec)) {
            String stored = checkpoint.spec().name();
            throw new CheckpointException(checkpointFile + " is from model '" + stored + "', not '" + spec.name()
                    + "'" + (stored.equals(spec.name()) ? " as given (same name, other layers)" : "")
                    + ": pass the model it was trained with, or another --out");
        }
        List<String> differences = checkpoint.config().differencesFrom(config);
        differences.addAll(checkpoint.data().differencesFrom(DataInfo.of(train)));
        if (!differences.isEmpty()) {
            throw new CheckpointException(checkpointFile + " was trained with other settings (checkpoint vs now: "
                    + String.join(", ", differences) + "): resume with the options of the first run");
        }
        Preflight.check(backend, spec, config, train, test);
        TrainingPosition at = checkpoint.position();
        TrainingRun run = new TrainingRun(backend, spec, spec.build(backend, config.seed()), true, config, train,
                test, checkpointFile.toAbsolutePath().getParent());
        try {
            if (at.trainSamples() != run.train.count()) {
                throw new CheckpointException(checkpointFile + " was made on " + at.trainSamples()
                        + " training samples, but the data now has " + run.train.count()
                        + ": resume with the same data and --limit-train");
            }
            if (at.epoch() > config.epochs()) {
                throw new CheckpointException(checkpointFile + " has already trained " + at.epoch()
                        + " epochs, more than the " + config.epochs() + " asked for");
            }
            Optional<String> nonFinite = checkpoint.nonFinite();
            if (nonFinite.isPresent()) {
                throw new CheckpointException("holds NaN or infinite values, which training cannot continue from: "
                        + nonFinite.get() + "; resume from an earlier checkpoint (epoch-NNN.safetensors) or start "
                        + "over");
            }
            checkpoint.restore(run.model, run.optimizer);
        } catch (CheckpointException | RuntimeException e) {
            run.close();
            if (e instanceof CheckpointException ce) {
                throw new CheckpointException(checkpointFile + ": " + ce.getMessage(), ce);
            }
            throw e;
        }
        run.position = at;
        run.history.addAll(checkpoint.history());
        run.partialEpoch = checkpoint.partialEpoch();
        run.lastCheckpoint = checkpointFile;
        run.lastCheckpointPosition = at;
        return run;
    }

    /** Whether {@code fileName} is one that a run's checkpoints get: {@value #LAST_CHECKPOINT} or an epoch's. */
    public static boolean isCheckpointName(String fileName) {
        return fileName.equals(LAST_CHECKPOINT) || EPOCH_CHECKPOINT.matcher(fileName).matches();
    }

    /**
     * Makes this run worker {@code shard.rank()} of {@code shard.workers()} in data-parallel training, before
     * {@link #run}: the configuration's batch size is that of all workers together, of which this worker trains on
     * its {@link Shard}, and {@code exchange} makes every worker's gradients the mean over all their samples after
     * each backward pass (see {@link GradientExchange}). Every worker must build the same run (model, seed,
     * configuration, data, position), so that they stay identical step after step; only worker 0 writes
     * checkpoints, the others none. Steps, positions and the learning-rate schedule count the batches of all
     * workers, so a checkpoint means the same as one of a single process with the same batch size.
     *
     * @return this run
     */
    public TrainingRun dataParallel(Shard shard, GradientExchange exchange) {
        trainer.shareSteps(shard, exchange);
        writesCheckpoints = shard.rank() == 0;
        return this;
    }

    /** The file name of the checkpoint written after epoch {@code epoch} (0-based): {@code epoch-001.safetensors}. */
    public static String epochCheckpointName(int epoch) {
        return String.format(Locale.ROOT, "epoch-%03d.safetensors", epoch + 1);
    }

    /**
     * Trains until every epoch has run or {@code stop} answers true, then writes a checkpoint of where it stopped.
     * {@code stop} is asked between two steps and also between two layers of every pass, so that even a long
     * step (or the evaluation after an epoch) ends within one layer's time: a step stopped part-way is undone
     * ({@link StepRollback}) and the checkpoint holds the last completed step, from which a resumed run goes on
     * exactly as an uninterrupted one.
     *
     * @param checkpointEvery also write a checkpoint after every this many steps; 0 for epoch ends only
     * @throws NonFiniteLossException when a loss, a weight or an optimizer state becomes NaN or infinite; the
     *     last checkpoint written stays as it was (see {@link #lastCheckpoint()}), and it is finite
     * @throws IOException when a checkpoint cannot be written
     */
    public Result run(Listener listener, BooleanSupplier stop, int checkpointEvery) throws IOException {
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0 steps, got " + checkpointEvery);
        }
        if (lastCheckpoint == null) {
            writeCheckpoint(listener, false);
        }
        model.stopPassesWhen(stop);
        try {
            return trainEpochs(listener, stop, checkpointEvery);
        } finally {
            model.stopPassesWhen(() -> false);
        }
    }

    private Result trainEpochs(Listener listener, BooleanSupplier stop, int checkpointEvery) throws IOException {
        while (position.epoch() < config.epochs()) {
            if (stop.getAsBoolean()) {
                return new Result(false, List.copyOf(history), position);
            }
            EpochTracker tracker = new EpochTracker(listener, checkpointEvery);
            rollback.save();
            EpochResult part;
            try {
                part = trainer.trainEpoch(train, position.epoch(), position.batch(), test, tracker, stop);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (PassStoppedException e) {
                rollback.restore();
                return stopAt(tracker, listener);
            }
            if (!part.complete()) {
                return stopAt(tracker, listener);
            }
            EpochResult done = merge(tracker.basis, part);
            history.add(done);
            partialEpoch = null;
            position = new TrainingPosition(position.epoch() + 1, 0, optimizer.steps(), train.count());
            listener.onEpoch(done);
            writeCheckpoint(listener, true);
        }
        return new Result(true, List.copyOf(history), position);
    }

    /** Writes the checkpoint of a run stopped after the tracker's last step. */
    private Result stopAt(EpochTracker tracker, Listener listener) throws IOException {
        partialEpoch = tracker.progress();
        position = tracker.nextPosition();
        writeCheckpoint(listener, false);
        return new Result(false, List.copyOf(history), position);
    }

    /** Adds the statistics of the steps run before a resume to those of the part of the epoch run after it. */
    private static EpochResult merge(EpochResult before, EpochResult after) {
        if (before == null) {
            return after;
        }
        long samples = before.samples() + after.samples();
        double lossSum = before.trainLoss() * before.samples() + after.trainLoss() * after.samples();
        double metricSum = before.trainMetric() * before.samples() + after.trainMetric() * after.samples();
        return new EpochResult(after.epoch(), samples == 0 ? 0 : lossSum / samples,
                samples == 0 ? 0 : metricSum / samples, samples, before.seconds() + after.seconds(), after.complete(),
                after.test());
    }

    /**
     * Writes the run's state to {@value #LAST_CHECKPOINT} (and to the epoch's file at an epoch end), unless it is not
     * finite: then the last checkpoint stays the last good one. A run without a directory writes nothing, nor does
     * a data-parallel worker other than worker 0.
     *
     * @throws NonFiniteLossException when a weight or optimizer state is NaN or infinite
     */
    private void writeCheckpoint(Listener listener, boolean epochEnd) throws IOException {
        if (directory == null || !writesCheckpoints) {
            return;
        }
        Checkpoint checkpoint = Checkpoint.capture(spec, config, position, history, partialEpoch, model, optimizer,
                DataInfo.of(train));
        Optional<String> nonFinite = checkpoint.nonFinite();
        if (nonFinite.isPresent()) {
            throw NonFiniteLossException.inWeights(position, nonFinite.get());
        }
        Path last = directory.resolve(LAST_CHECKPOINT);
        if (epochEnd) {
            Path epochFile = directory.resolve(epochCheckpointName(position.epoch() - 1));
            checkpoint.write(epochFile);
            listener.onCheckpoint(epochFile, position);
        }
        checkpoint.write(last);
        lastCheckpoint = last;
        lastCheckpointPosition = position;
        listener.onCheckpoint(last, position);
    }

    /**
     * Forwards steps to the run's listener, keeps the epoch's statistics since the last resume, and writes the
     * checkpoints due between two steps.
     */
    private final class EpochTracker implements TrainingListener {
        private final Listener listener;
        private final int checkpointEvery;
        private final long start = System.nanoTime();
        /** The statistics of this epoch from before a resume, or null. */
        private final EpochResult basis = partialEpoch;
        private final EpochStats stats = new EpochStats();
        private int nextBatch = position.batch();

        EpochTracker(Listener listener, int checkpointEvery) {
            this.listener = listener;
            this.checkpointEvery = checkpointEvery;
        }

        @Override
        public void onStep(int epoch, int batch, int batchesPerEpoch, StepResult result, double imagesPerSecond) {
            rollback.save();
            stats.add(result);
            nextBatch = batch + 1;
            listener.onStep(epoch, batch, batchesPerEpoch, result, imagesPerSecond);
            boolean due = checkpointEvery > 0 && (result.step() + 1) % checkpointEvery == 0;
            if (due && nextBatch < batchesPerEpoch) {
                partialEpoch = progress();
                position = nextPosition();
                try {
                    writeCheckpoint(listener, false);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        /** Completed epochs are reported by the run once merged with the statistics from before a resume. */
        @Override
        public void onEpoch(EpochResult result) {
        }

        /** The epoch's statistics so far, the part before a resume included. */
        EpochResult progress() {
            double seconds = (System.nanoTime() - start) / 1e9;
            return merge(basis, stats.result(TrainingRun.this.position.epoch(), seconds, false, null));
        }

        /** The position after the last step run. */
        TrainingPosition nextPosition() {
            return new TrainingPosition(TrainingRun.this.position.epoch(), nextBatch, optimizer.steps(),
                    train.count());
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    public TrainingConfig config() {
        return config;
    }

    /** The training data after the configuration's limit. */
    public Dataset trainData() {
        return train;
    }

    /** The test data after the configuration's limit, or null. */
    public Dataset testData() {
        return test;
    }

    /** Steps per epoch. */
    public int batchesPerEpoch() {
        return trainer.batchesPerEpoch(train);
    }

    public Sequential model() {
        return model;
    }

    public TrainingPosition position() {
        return position;
    }

    /** The completed epochs so far. */
    public List<EpochResult> history() {
        return List.copyOf(history);
    }

    /** The latest checkpoint file written or resumed from, or null before the first. */
    public Path lastCheckpoint() {
        return lastCheckpoint;
    }

    /** The position the latest checkpoint holds, or null before the first. */
    public TrainingPosition lastCheckpointPosition() {
        return lastCheckpointPosition;
    }

    /** What the run trains for: its loss and metric. */
    public Objective objective() {
        return objective;
    }

    /** Releases the optimizer, objective and trainer tensors, and the model unless it was given one. */
    @Override
    public void close() {
        rollback.close();
        trainer.close();
        optimizer.close();
        objective.close();
        if (ownsModel) {
            model.close();
        }
    }
}
