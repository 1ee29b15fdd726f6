package dev.cortado.spark;

import dev.cortado.cli.CurvePlot;
import dev.cortado.cli.MetricsLog;
import dev.cortado.cli.RunObserver;
import dev.cortado.train.EpochResult;
import dev.cortado.train.StepResult;
import dev.cortado.train.TrainingPosition;
import dev.cortado.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Worker 0's view of the run, as {@code cortado train} gives it: progress lines on the task's standard output (the
 * executor's log; the console in local mode), {@code metrics.jsonl} and {@code metrics.png}; and each file it or the
 * run writes is published to the output directory as soon as it is written.
 */
final class RankZeroListener implements TrainingRun.Listener {
    private final RunObserver observer;
    private final RunStorage storage;
    private final Path workDir;

    RankZeroListener(RunObserver observer, RunStorage storage, Path workDir) {
        this.observer = observer;
        this.storage = storage;
        this.workDir = workDir;
    }

    @Override
    public void onStep(int epoch, int batch, int batchesPerEpoch, StepResult result, double imagesPerSecond) {
        observer.onStep(epoch, batch, batchesPerEpoch, result, imagesPerSecond);
    }

    @Override
    public void onEpoch(EpochResult result) {
        observer.onEpoch(result);
        publish(workDir.resolve(CurvePlot.FILE_NAME));
    }

    @Override
    public void onCheckpoint(Path file, TrainingPosition position) {
        observer.onCheckpoint(file, position);
        publish(file);
        publish(workDir.resolve(MetricsLog.FILE_NAME));
    }

    /** Publishes the plot if the observer draws it now. */
    void finish() {
        observer.writePlotIfStale();
        publish(workDir.resolve(CurvePlot.FILE_NAME));
    }

    private void publish(Path file) {
        if (!file.toFile().exists()) {
            return;
        }
        try {
            storage.publish(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + storage.describe(file.getFileName().toString()) + ": "
                    + e.getMessage(), e);
        }
    }
}
