package dev.cortado.spark;

import dev.cortado.backend.Backend;
import dev.cortado.cli.EpochTable;
import dev.cortado.cli.Metric;
import dev.cortado.cli.ExitCode;
import dev.cortado.cli.MetricsLog;
import dev.cortado.cli.PlainProgress;
import dev.cortado.cli.RunObserver;
import dev.cortado.data.DatasetException;
import dev.cortado.data.Shard;
import dev.cortado.model.ModelSpec;
import dev.cortado.model.ModelSpecException;
import dev.cortado.spark.ring.RingAllReduce;
import dev.cortado.train.Checkpoint;
import dev.cortado.train.CheckpointException;
import dev.cortado.train.EpochResult;
import dev.cortado.train.NonFiniteLossException;
import dev.cortado.train.PreflightException;
import dev.cortado.train.StepResult;
import dev.cortado.train.TrainingConfig;
import dev.cortado.train.TrainingPosition;
import dev.cortado.train.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * One worker's training, in its task: reads the data, builds the run from the last checkpoint in the output
 * directory (or from the seed when there is none), checks that every worker starts at the same position, and trains
 * its shard of every batch with its gradients averaged over the ring. Worker 0 shows the progress, writes the metrics
 * and the checkpoints.
 */
final class Worker {
    /** Publishes a string from every worker and returns all of them in rank order (Spark's barrier allGather). */
    interface AllGather {
        String[] allGather(String mine);
    }

    private final JobSpec job;
    private final int rank;
    private final RingAllReduce ring;
    private final TaskDevice device;
    private final AllGather gather;

    Worker(JobSpec job, int rank, RingAllReduce ring, TaskDevice device, AllGather gather) {
        this.job = job;
        this.rank = rank;
        this.ring = ring;
        this.device = device;
        this.gather = gather;
    }

    /** Trains to the end; failures that another attempt would repeat are {@link WorkerFailure}s. */
    WorkerReport train() throws IOException {
        try (RunStorage storage = RunStorage.of(job.out(), job.hadoop())) {
            return train(storage);
        } catch (DatasetException e) {
            throw new WorkerFailure(ExitCode.DATA, who() + e.getMessage(), e);
        } catch (CheckpointException e) {
            throw new WorkerFailure(ExitCode.CHECKPOINT, who() + e.getMessage(), e);
        } catch (PreflightException e) {
            ExitCode code = e.problem() == PreflightException.Problem.DATA ? ExitCode.DATA : ExitCode.MODEL;
            throw new WorkerFailure(code, who() + e.getMessage(), e);
        } catch (ModelSpecException e) {
            throw new WorkerFailure(ExitCode.MODEL, who() + e.getMessage(), e);
        } catch (NonFiniteLossException e) {
            throw new WorkerFailure(ExitCode.DIVERGED, who() + e.getMessage(), e);
        }
    }

    private String who() {
        return "worker " + rank + " of " + job.workers() + ": ";
    }

    private WorkerReport train(RunStorage storage) throws IOException, DatasetException, CheckpointException {
        Backend backend = device.backend();
        TaskData data = TaskData.load(job.data(), job.hadoop());
        ModelSpec spec = job.model();
        TrainingConfig config = job.config();
        Optional<Path> last = storage.fetch(TrainingRun.LAST_CHECKPOINT);
        Path workDir = storage.workDir();
        try (TrainingRun run = last.isPresent()
                ? TrainingRun.resume(backend, Checkpoint.read(last.get()), last.get(), spec, config, data.train(),
                        data.test())
                : TrainingRun.start(backend, spec, config, data.train(), data.test(), workDir);
             GradientAllReduce exchange = new GradientAllReduce(backend, ring, job.timeExchange())) {
            TrainingPosition start = run.position();
            checkSameStart(start);
            run.dataParallel(new Shard(rank, job.workers()), exchange);
            StepTimes steps = new StepTimes();
            TrainingRun.Result result;
            if (rank == 0) {
                result = trainAsRankZero(run, storage, workDir, start, steps);
            } else {
                result = run.run(steps, () -> false, job.checkpointEvery());
            }
            return new WorkerReport(rank, device.description(), result.complete(), result.position().describe(),
                    rank == 0 ? EpochTable.render(result.epochs(), Metric.of(run.objective())) : "", steps.times.count(),
                    steps.times.medianMillis(), exchange.medianRingMillis(), exchange.medianWaitMillis(),
                    exchange.medianExchangeMillis());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private TrainingRun.Result trainAsRankZero(TrainingRun run, RunStorage storage, Path workDir,
                                               TrainingPosition start, StepTimes steps) throws IOException {
        boolean resumed = start.step() > 0 || start.epoch() > 0;
        if (resumed) {
            storage.fetch(MetricsLog.FILE_NAME);
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        int epochs = run.config().epochs();
        Metric metric = Metric.of(run.objective());
        try (MetricsLog metrics = resumed ? MetricsLog.resume(workDir, start.step(), metric)
                : MetricsLog.create(workDir, metric);
             PlainProgress view = new PlainProgress(out, epochs, metric)) {
            if (resumed) {
                view.note("worker 0: resuming at " + start.describe());
            }
            RunObserver observer = new RunObserver(view, metrics, workDir, run.spec().name(), job.logEvery(),
                    job.verbose(), new PrintWriter(System.err, true, StandardCharsets.UTF_8), start.step());
            RankZeroListener listener = new RankZeroListener(observer, storage, workDir);
            TrainingRun.Result result = run.run(new TrainingRun.Listener() {
                @Override
                public void onStep(int epoch, int batch, int batches, StepResult r, double imagesPerSecond) {
                    steps.onStep(epoch, batch, batches, r, imagesPerSecond);
                    listener.onStep(epoch, batch, batches, r, imagesPerSecond);
                }

                @Override
                public void onEpoch(EpochResult r) {
                    steps.onEpoch(r);
                    listener.onEpoch(r);
                }

                @Override
                public void onCheckpoint(Path file, TrainingPosition position) {
                    listener.onCheckpoint(file, position);
                }
            }, () -> false, job.checkpointEvery());
            if (result.complete()) {
                listener.finish();
            }
            return result;
        }
    }

    /**
     * Fails unless every worker starts at the same position: a checkpoint replaced while the workers read it would
     * otherwise make them train apart. Another attempt reads the checkpoint again.
     */
    private void checkSameStart(TrainingPosition start) {
        String mine = start.describe();
        String[] all = gather.allGather(mine);
        for (String other : all) {
            if (!other.equals(mine)) {
                throw new IllegalStateException(who() + "the workers start at different positions "
                        + Arrays.toString(all) + ": a checkpoint changed while they read it");
            }
        }
    }

    /** Times the steps, each from the end of the one before (the first of each epoch, after an evaluation, not). */
    private static final class StepTimes implements TrainingRun.Listener {
        final Timings times = new Timings();
        private long last;
        private int lastEpoch = -1;

        @Override
        public void onStep(int epoch, int batch, int batches, StepResult r, double imagesPerSecond) {
            long now = System.nanoTime();
            if (epoch == lastEpoch) {
                times.add(now - last);
            }
            last = now;
            lastEpoch = epoch;
        }

        @Override
        public void onEpoch(EpochResult result) {
            lastEpoch = -1;
        }
    }
}
