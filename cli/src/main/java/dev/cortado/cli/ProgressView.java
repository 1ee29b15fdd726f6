package dev.cortado.cli;

import dev.cortado.train.EpochResult;

/**
 * How training progress is shown: a progress bar on a terminal ({@link BarProgress}), plain lines every N steps
 * elsewhere, as in Docker logs ({@link PlainProgress}).
 */
public interface ProgressView extends AutoCloseable {

    /**
     * After every step, with the epoch's running figures.
     *
     * @param epoch 0-based
     * @param batch the batch just run, 0-based
     */
    void step(int epoch, int batch, int batches, double loss, double accuracy, double imagesPerSecond);

    /** Every N steps, with the figures over those steps. */
    void log(int epoch, int batch, int batches, double loss, double accuracy, double imagesPerSecond);

    /** After a completed epoch. */
    void epoch(EpochResult result);

    /** A line of its own (a checkpoint written, a warning). */
    void note(String line);

    @Override
    void close();

    /** The line printed after each epoch, in both views. */
    static String epochLine(EpochResult r, int epochs, Metric metric) {
        StringBuilder line = new StringBuilder("epoch " + (r.epoch() + 1) + "/" + epochs + " done: train loss "
                + Format.loss(r.trainLoss()) + " " + metric.label() + " " + metric.format(r.trainMetric()));
        if (r.test() != null) {
            line.append(", test loss ").append(Format.loss(r.test().loss())).append(" ").append(metric.label())
                    .append(" ").append(metric.format(r.test().metric()));
        }
        return line.append(", ").append(Format.rate(r.imagesPerSecond())).append(" images/s, ")
                .append(Format.seconds(r.seconds())).toString();
    }
}
