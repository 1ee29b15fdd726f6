package dev.cortado.cli;

import dev.cortado.train.EpochResult;
import java.util.List;

/** The table of epochs that {@code cortado train} prints at the end of a run. */
public final class EpochTable {
    private EpochTable() {
    }

    /** One row per epoch: train loss and accuracy, test loss and accuracy, images/s and time. */
    public static String render(List<EpochResult> epochs) {
        TextTable table = new TextTable(">epoch", ">train loss", ">train acc", ">test loss", ">test acc",
                ">images/s", ">time");
        for (EpochResult e : epochs) {
            table.add(e.epoch() + 1, Format.loss(e.trainLoss()), Format.percent(e.trainMetric()),
                    e.test() == null ? "-" : Format.loss(e.test().loss()),
                    e.test() == null ? "-" : Format.percent(e.test().accuracy()), Format.rate(e.imagesPerSecond()),
                    Format.seconds(e.seconds()));
        }
        return table.render();
    }
}
