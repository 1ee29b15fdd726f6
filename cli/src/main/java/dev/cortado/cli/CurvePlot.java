package dev.cortado.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code metrics.png}: the loss and accuracy curves of a run, side by side, drawn with XChart from the lines of
 * {@link MetricsLog}: training figures every N steps as lines, test figures per epoch as points, over the step.
 */
public final class CurvePlot {
    /** The file's name in the output directory. */
    public static final String FILE_NAME = "metrics.png";
    private static final int WIDTH = 640;
    private static final int HEIGHT = 420;

    private CurvePlot() {
    }

    /**
     * Draws the curves into {@code dir/metrics.png} (written to a temporary file, then renamed). Does nothing when
     * there is no point to draw yet.
     */
    static void write(Path dir, List<JsonNode> lines, String title) throws IOException {
        Series trainLoss = new Series();
        Series trainAccuracy = new Series();
        Series testLoss = new Series();
        Series testAccuracy = new Series();
        Metric metric = lines.stream().anyMatch(l -> l.has(Metric.MAE.key()) || l.has("train_" + Metric.MAE.key()))
                ? Metric.MAE : Metric.ACCURACY;
        double scale = metric == Metric.ACCURACY ? 100 : 1;
        for (JsonNode line : lines) {
            double step = line.path("step").asDouble();
            if (line.path("type").asText().equals("step")) {
                trainLoss.add(step, line.path("loss").asDouble());
                trainAccuracy.add(step, scale * line.path(metric.key()).asDouble());
            } else if (line.has("test_loss")) {
                testLoss.add(step, line.path("test_loss").asDouble());
                testAccuracy.add(step, scale * line.path("test_" + metric.key()).asDouble());
            }
        }
        if (trainLoss.isEmpty() && testLoss.isEmpty()) {
            return;
        }
        XYChart loss = chart(title + ": loss", "loss");
        XYChart accuracy = metric == Metric.ACCURACY ? chart(title + ": accuracy", "accuracy (%)")
                : chart(title + ": mean absolute error", "mean absolute error");
        trainLoss.addTo(loss, "train", false);
        testLoss.addTo(loss, "test (per epoch)", true);
        trainAccuracy.addTo(accuracy, "train", false);
        testAccuracy.addTo(accuracy, "test (per epoch)", true);
        Path temp = RunFiles.temporary(dir.resolve(FILE_NAME));
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                BitmapEncoder.saveBitmap(List.of(loss, accuracy), 1, 2, out, BitmapEncoder.BitmapFormat.PNG);
            }
            Files.move(temp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("step")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        return chart;
    }

    /** The points of one curve. */
    private static final class Series {
        private final List<Double> x = new ArrayList<>();
        private final List<Double> y = new ArrayList<>();

        void add(double xValue, double yValue) {
            x.add(xValue);
            y.add(yValue);
        }

        boolean isEmpty() {
            return x.isEmpty();
        }

        void addTo(XYChart chart, String name, boolean pointsOnly) {
            if (isEmpty()) {
                return;
            }
            XYSeries series = chart.addSeries(name, x, y);
            series.setMarker(pointsOnly || x.size() == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            if (pointsOnly) {
                series.setLineStyle(SeriesLines.NONE);
            }
        }
    }
}
