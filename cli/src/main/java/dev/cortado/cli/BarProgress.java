package dev.cortado.cli;

import dev.cortado.train.EpochResult;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress as one bar per epoch on a terminal (me.tongfei:progressbar), with loss, accuracy and images/s. */
final class BarProgress implements ProgressView {
    private static final int REFRESH_MILLIS = 200;

    private final PrintStream out;
    private final int epochs;
    private final Metric metric;
    private ProgressBar bar;
    private int barEpoch = -1;

    BarProgress(PrintStream out, int epochs, Metric metric) {
        this.out = out;
        this.epochs = epochs;
        this.metric = metric;
    }

    @Override
    public void step(int epoch, int batch, int batches, double loss, double accuracy, double imagesPerSecond) {
        if (bar == null || barEpoch != epoch) {
            close();
            bar = new ProgressBarBuilder().setTaskName("epoch " + (epoch + 1) + "/" + epochs)
                    .setInitialMax(batches).setStyle(ProgressBarStyle.UNICODE_BLOCK)
                    .setConsumer(new ConsoleProgressBarConsumer(out)).setUpdateIntervalMillis(REFRESH_MILLIS)
                    .startsFrom(batch, Duration.ZERO).build();
            barEpoch = epoch;
        }
        bar.stepTo(batch + 1L);
        // Short, so that the bar keeps some width on an 80-column terminal.
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f %s %s %s img/s", loss, metric.label(),
                metric.formatShort(accuracy), Format.rate(imagesPerSecond)));
    }

    @Override
    public void log(int epoch, int batch, int batches, double loss, double accuracy, double imagesPerSecond) {
        // The bar shows the running figures; metrics.jsonl keeps the periodic ones.
    }

    @Override
    public void epoch(EpochResult result) {
        close();
        out.println(ProgressView.epochLine(result, epochs, metric));
        out.flush();
    }

    @Override
    public void note(String line) {
        out.print('\r');
        out.println(line);
        out.flush();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
