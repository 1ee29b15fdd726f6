package dev.cortado.cli;

import dev.cortado.train.EpochResult;
import java.io.PrintWriter;

/** Progress as plain lines, one every N steps and one per epoch: no control characters, for logs and pipes. */
public final class PlainProgress implements ProgressView {
    private final PrintWriter out;
    private final int epochs;
    private final Metric metric;

    /** Lines to {@code out}, for a run of {@code epochs} epochs that reports {@code metric}. */
    public PlainProgress(PrintWriter out, int epochs, Metric metric) {
        this.out = out;
        this.epochs = epochs;
        this.metric = metric;
    }

    @Override
    public void step(int epoch, int batch, int batches, double loss, double accuracy, double imagesPerSecond) {
        // Plain output shows only the periodic lines.
    }

    @Override
    public void log(int epoch, int batch, int batches, double loss, double accuracy, double imagesPerSecond) {
        out.println(line(epoch, batch, batches, loss, accuracy, imagesPerSecond, epochs, metric));
        out.flush();
    }

    /** {@code epoch 1/3  batch 100/938  loss 0.6542  acc 76.30%  5,210 images/s}. */
    static String line(int epoch, int batch, int batches, double loss, double accuracy, double imagesPerSecond,
                       int epochs, Metric metric) {
        String width = "%" + Integer.toString(batches).length() + "d";
        return "epoch " + (epoch + 1) + "/" + epochs + "  batch " + String.format(width, batch + 1) + "/" + batches
                + "  loss " + Format.loss(loss) + "  " + metric.label() + " " + metric.format(accuracy) + "  "
                + Format.rate(imagesPerSecond) + " images/s";
    }

    @Override
    public void epoch(EpochResult result) {
        out.println(ProgressView.epochLine(result, epochs, metric));
        out.flush();
    }

    @Override
    public void note(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }
}
