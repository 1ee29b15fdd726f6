package dev.cortado.cli;

import dev.cortado.io.IoErrors;
import dev.cortado.train.EpochResult;
import dev.cortado.train.StepResult;
import dev.cortado.train.TrainingPosition;
import dev.cortado.train.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Turns a training run's events into what the user sees and keeps: the progress view, metrics.jsonl every N
 * steps and per epoch, the curves plot after an epoch (at most every {@link #PLOT_INTERVAL}, and at the end of the
 * run), and (with --verbose) a line per checkpoint.
 *
 * <p>Drawing the plot takes a few tenths of a second, more the first time (AWT starts, and the JIT compiles its
 * code on a core the next epoch needs). On 2 cores, training the MLP for two epochs of 0.7 s each took up to 1.4 s
 * longer with a plot after each epoch, and its second epoch ran at 40,000 to 48,000 images/s instead of 66,000 to
 * 86,000 in three of eight processes. A run whose epochs are short therefore redraws it less often.
 */
public final class RunObserver implements TrainingRun.Listener {
    /** Least time from one draw of the plot after an epoch (or the run's start) to the next. */
    static final Duration PLOT_INTERVAL = Duration.ofSeconds(30);

    private final ProgressView view;
    private final MetricsLog metrics;
    private final Path outDir;
    private final String title;
    private final int logEvery;
    private final boolean verbose;
    private final PrintWriter err;
    private int epochForRunning = -1;
    private double runningLoss;
    private double runningCorrect;
    private long runningCount;
    private double windowLoss;
    private double windowCorrect;
    private long windowCount;
    private long lastStep;
    /** Whether metrics.jsonl may hold lines the plot does not show yet (true at start: a resumed run's file). */
    private boolean plotStale = true;
    private final LongSupplier nanoClock;
    /** When the plot was last drawn, or the observer made ({@link #nanoClock}'s time). */
    private long plotDrawnAt;

    /** @param startStep the updates made before this process started (non-zero when resuming) */
    public RunObserver(ProgressView view, MetricsLog metrics, Path outDir, String title, int logEvery,
                       boolean verbose, PrintWriter err, long startStep) {
        this(view, metrics, outDir, title, logEvery, verbose, err, startStep, System::nanoTime);
    }

    /** As the public constructor, with the clock that paces the plot's draws. */
    RunObserver(ProgressView view, MetricsLog metrics, Path outDir, String title, int logEvery, boolean verbose,
                PrintWriter err, long startStep, LongSupplier nanoClock) {
        this.view = view;
        this.metrics = metrics;
        this.outDir = outDir;
        this.title = title;
        this.logEvery = logEvery;
        this.verbose = verbose;
        this.err = err;
        this.lastStep = startStep;
        this.nanoClock = nanoClock;
        this.plotDrawnAt = nanoClock.getAsLong();
    }

    @Override
    public void onStep(int epoch, int batch, int batchesPerEpoch, StepResult r, double imagesPerSecond) {
        if (epoch != epochForRunning) {
            epochForRunning = epoch;
            runningLoss = 0;
            runningCorrect = 0;
            runningCount = 0;
        }
        runningLoss += (double) r.loss() * r.count();
        runningCorrect += r.metricSum();
        runningCount += r.count();
        windowLoss += (double) r.loss() * r.count();
        windowCorrect += r.metricSum();
        windowCount += r.count();
        lastStep = r.step() + 1;
        view.step(epoch, batch, batchesPerEpoch, runningLoss / runningCount, (double) runningCorrect / runningCount,
                imagesPerSecond);
        if (lastStep % logEvery == 0) {
            double loss = windowLoss / windowCount;
            double accuracy = (double) windowCorrect / windowCount;
            view.log(epoch, batch, batchesPerEpoch, loss, accuracy, imagesPerSecond);
            try {
                metrics.step(epoch, batch, lastStep, loss, accuracy, r.lr(), imagesPerSecond);
                plotStale = true;
            } catch (IOException e) {
                throw new UncheckedIOException(outDir.resolve(MetricsLog.FILE_NAME) + ": " + IoErrors.reason(e), e);
            }
            windowLoss = 0;
            windowCorrect = 0;
            windowCount = 0;
        }
    }

    @Override
    public void onEpoch(EpochResult result) {
        view.epoch(result);
        try {
            metrics.epoch(result, lastStep);
            plotStale = true;
        } catch (IOException e) {
            throw new UncheckedIOException(outDir.resolve(MetricsLog.FILE_NAME) + ": " + IoErrors.reason(e), e);
        }
        if (nanoClock.getAsLong() - plotDrawnAt >= PLOT_INTERVAL.toNanos()) {
            writePlot();
        }
    }

    @Override
    public void onCheckpoint(Path file, TrainingPosition position) {
        if (verbose) {
            view.note("checkpoint: " + file + " (" + position.describe() + ")");
        }
    }

    /** Draws the curves unless the last draw already showed every metrics line written since. */
    public void writePlotIfStale() {
        if (plotStale) {
            writePlot();
        }
    }

    /** Draws the curves so far; a failure to draw (no fonts, say) is a warning, not the end of the run. */
    void writePlot() {
        plotStale = false;
        try {
            CurvePlot.write(outDir, metrics.lines(), title);
        } catch (IOException | RuntimeException | LinkageError e) {
            err.println("cortado: warning: cannot draw " + outDir.resolve(CurvePlot.FILE_NAME) + ": " + e);
            err.flush();
        }
        plotDrawnAt = nanoClock.getAsLong();
    }
}
