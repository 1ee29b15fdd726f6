package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.train.EpochResult;
import dev.cortado.train.Evaluation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunObserverTest {
    @TempDir
    Path dir;

    /** A view that shows nothing. */
    private static final ProgressView SILENT = new ProgressView() {
        @Override
        public void step(int epoch, int batch, int batches, double loss, double accuracy, double imagesPerSecond) {
        }

        @Override
        public void log(int epoch, int batch, int batches, double loss, double accuracy, double imagesPerSecond) {
        }

        @Override
        public void epoch(EpochResult result) {
        }

        @Override
        public void note(String line) {
        }

        @Override
        public void close() {
        }
    };

    /** After an epoch the plot is drawn once PLOT_INTERVAL has passed since the last draw; at the end if stale. */
    @Test
    void thePlotIsRedrawnAfterAnEpochAtMostEveryIntervalAndAtTheEnd() throws Exception {
        long[] now = {0};
        long interval = RunObserver.PLOT_INTERVAL.toNanos();
        Path plot = dir.resolve(CurvePlot.FILE_NAME);
        try (MetricsLog metrics = MetricsLog.create(dir, Metric.ACCURACY)) {
            RunObserver observer = new RunObserver(SILENT, metrics, dir, "test", 10, false,
                    new PrintWriter(new StringWriter()), 0, () -> now[0]);
            now[0] = interval / 2;
            observer.onEpoch(epoch(0));
            assertFalse(Files.exists(plot), "drawn half an interval after the start");
            now[0] = interval;
            observer.onEpoch(epoch(1));
            assertTrue(Files.exists(plot), "not drawn an interval after the start");
            Files.delete(plot);
            now[0] = interval + interval / 2;
            observer.onEpoch(epoch(2));
            assertFalse(Files.exists(plot), "drawn half an interval after the last draw");
            observer.writePlotIfStale();
            assertTrue(Files.exists(plot), "not drawn at the end though the last epoch was not shown");
            Files.delete(plot);
            observer.writePlotIfStale();
            assertFalse(Files.exists(plot), "drawn again with nothing new to show");
        }
    }

    private static EpochResult epoch(int epoch) {
        return new EpochResult(epoch, 2.25 - epoch, 0.15 + 0.1 * epoch, 640, 1.5, true,
                new Evaluation(2.1, 30, 100, null));
    }
}
