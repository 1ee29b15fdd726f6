package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.train.EpochResult;
import dev.cortado.train.Evaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
    @TempDir
    Path dir;

    private static List<Long> steps(List<String> lines) {
        return lines.stream().map(l -> Long.parseLong(l.replaceAll(".*\"step\":(\\d+).*", "$1"))).toList();
    }

    @Test
    void resumingDropsTheLinesWrittenAfterTheCheckpointAndALineCutShort() throws Exception {
        try (MetricsLog log = MetricsLog.create(dir, Metric.ACCURACY)) {
            log.step(0, 9, 10, 2.3, 0.1, 0.01f, 100);
            log.step(0, 19, 20, 2.2, 0.2, 0.01f, 100);
            log.epoch(new EpochResult(0, 2.25, 0.15, 640, 1.5, true, new Evaluation(2.1, 30, 100, new int[2][2])), 25);
            log.step(1, 4, 30, 2.0, 0.3, 0.01f, 100);
        }
        Files.writeString(dir.resolve(MetricsLog.FILE_NAME), "{\"type\":\"step\",\"ep",
                java.nio.file.StandardOpenOption.APPEND);
        try (MetricsLog log = MetricsLog.resume(dir, 27, Metric.ACCURACY)) {
            assertEquals(List.of(10L, 20L, 25L), steps(log.lines().stream().map(Object::toString).toList()));
            log.step(1, 9, 35, 1.9, 0.35, 0.01f, 100);
        }
        List<String> lines = Files.readAllLines(dir.resolve(MetricsLog.FILE_NAME));
        assertEquals(List.of(10L, 20L, 25L, 35L), steps(lines));
        assertEquals("{\"type\":\"epoch\",\"epoch\":1,\"step\":25,\"train_loss\":2.25,\"train_accuracy\":0.15,"
                + "\"test_loss\":2.1,\"test_accuracy\":0.3,\"images_per_second\":426.6666666666667,\"seconds\":1.5}",
                lines.get(2));
    }

    @Test
    void aRegressionLogsItsMeanAbsoluteError() throws Exception {
        try (MetricsLog log = MetricsLog.create(dir, Metric.MAE)) {
            log.step(0, 9, 10, 2.3, 1.5, 0.01f, 100);
            log.epoch(new EpochResult(0, 2.25, 1.25, 640, 1.5, true, new Evaluation(2.1, 30, 100, null)), 12);
            CurvePlot.write(dir, log.lines(), "test");
        }
        List<String> lines = Files.readAllLines(dir.resolve(MetricsLog.FILE_NAME));
        assertEquals("{\"type\":\"step\",\"epoch\":1,\"batch\":10,\"step\":10,\"loss\":2.3,\"mae\":1.5,"
                + "\"lr\":0.01,\"images_per_second\":100.0}", lines.get(0));
        assertEquals("{\"type\":\"epoch\",\"epoch\":1,\"step\":12,\"train_loss\":2.25,\"train_mae\":1.25,"
                + "\"test_loss\":2.1,\"test_mae\":0.3,\"images_per_second\":426.6666666666667,\"seconds\":1.5}",
                lines.get(1));
        assertTrue(Files.size(dir.resolve(CurvePlot.FILE_NAME)) > 0);
    }

    @Test
    void thePlotIsAPngOfBothCurves() throws Exception {
        try (MetricsLog log = MetricsLog.create(dir, Metric.ACCURACY)) {
            log.step(0, 9, 10, 2.3, 0.1, 0.01f, 100);
            log.epoch(new EpochResult(0, 2.25, 0.15, 640, 1.5, true, new Evaluation(2.1, 30, 100, new int[2][2])), 12);
            CurvePlot.write(dir, log.lines(), "test");
        }
        byte[] png = Files.readAllBytes(dir.resolve(CurvePlot.FILE_NAME));
        assertEquals("PNG", new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
    }
}
