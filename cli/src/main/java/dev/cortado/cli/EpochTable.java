package dev.cortado.cli;

import dev.cortado.train.EpochResult;
import java.util.List;

/** The table of epochs that {@code cortado train} (and the Spark launcher) prints at the end of a run. */
public final class EpochTable {
    private EpochTable() {
    }

    /** One row per epoch: train loss and metric, test loss and metric, images/s and time. */
    public static String render(List<EpochResult> epochs, Metric metric) {
        TextTable table = new TextTable(">epoch", ">train loss", ">train " + metric.label(), ">test loss",
                ">test " + metric.label(), ">images/s", ">time");
        for (EpochResult e : epochs) {
            table.add(e.epoch() + 1, Format.loss(e.trainLoss()), metric.format(e.trainMetric()),
                    e.test() == null ? "-" : Format.loss(e.test().loss()),
                    e.test() == null ? "-" : metric.format(e.test().metric()), Format.rate(e.imagesPerSecond()),
                    Format.seconds(e.seconds()));
        }
        return table.render();
    }
}
