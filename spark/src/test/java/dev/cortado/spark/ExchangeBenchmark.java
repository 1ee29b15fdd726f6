package dev.cortado.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A benchmark, not a test (it asserts nothing about time): the gradient exchange's time per step against the
 * step's time, for the MLP, LeNet-5 and a wide MLP of 4 million parameters, at batch 64 per worker, two workers on
 * {@code local-cluster[2,1,2048]} (two executor JVMs of one CPU thread each, {@code -XX:ActiveProcessorCount=1}, so
 * that the two workers do not share cores). Run it with
 * {@code mvn -pl spark -am verify -Dtest=ExchangeBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcortado.benchmark=true [-Dcortado.benchmark.data=DIR]}; it prints a table and writes it to
 * {@code target/exchange-benchmark.txt}.
 */
@EnabledIfSystemProperty(named = "cortado.benchmark", matches = "true")
class ExchangeBenchmark {
    private static final Pattern TIMES = Pattern.compile("worker 0: median step ([\\d.]+) ms, of which the gradients' "
            + "sum over the ring ([\\d.]+) ms after a median wait of ([\\d.]+) ms for the slowest worker \\(the whole "
            + "exchange, with device copies and transfers: ([\\d.]+) ms\\)");
    private static final Map<String, String> SPARK_SETTINGS = Map.of(
            "spark.executor.extraJavaOptions", System.getProperty("spark.java.options", "")
                    + " -XX:ActiveProcessorCount=1",
            "spark.executor.memory", "1600m",
            "spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "1s");

    @TempDir
    Path dir;

    @BeforeEach
    void sparkSettings() throws IOException {
        Files.createDirectories(Path.of(System.getProperty("spark.test.home", "target/spark-test-home")));
        SPARK_SETTINGS.forEach(System::setProperty);
    }

    @AfterEach
    void clearSparkSettings() {
        SPARK_SETTINGS.keySet().forEach(System::clearProperty);
    }

    @Test
    void exchangeTimeAgainstStepTime() throws Exception {
        String data = System.getProperty("cortado.benchmark.data", "/usr/share/datasets/fashion-mnist");
        Path wide = dir.resolve("wide-mlp.json");
        try (InputStream in = getClass().getResourceAsStream("wide-mlp.json")) {
            Files.copy(in, wide);
        }
        List<String> rows = new ArrayList<>();
        rows.add("model      parameters  step ms  wait ms  ring sum ms  exchange ms  ring/step  exchange/step");
        rows.add("(medians over the steps of worker 0; step: from the end of one step to the end of the next; wait: "
                + "for the slower worker, before the sum; exchange: copies, transfers, scaling and ring sum)");
        for (String[] model : new String[][] {{"mlp", "235,146"}, {"lenet5", "61,706"},
                {wide.toString(), "3,984,138"}}) {
            SparkRun run = SparkRun.of("train", "--workers", "2", "--master", "local-cluster[2,1,2048]", "--model",
                    model[0], "--data", data, "--out", dir.resolve("out-" + rows.size()).toString(), "--batch-size",
                    "64", "--epochs", "1", "--limit-train", "19200", "--limit-test", "640", "--checkpoint-every", "0",
                    "--log-every", "50", "--time-exchange");
            assertEquals(0, run.exitCode(), run.err());
            Matcher m = TIMES.matcher(run.out());
            assertTrue(m.find(), run.out());
            double step = Double.parseDouble(m.group(1));
            double ring = Double.parseDouble(m.group(2));
            double wait = Double.parseDouble(m.group(3));
            double exchange = Double.parseDouble(m.group(4));
            String name = model[0].endsWith(".json") ? "wide-mlp" : model[0];
            rows.add(String.format(Locale.ROOT, "%-9s %11s %8.2f %8.2f %12.2f %12.2f %9.1f%% %13.1f%%", name,
                    model[1], step, wait, ring, exchange, 100 * ring / step, 100 * exchange / step));
        }
        String table = String.join("\n", rows) + "\n";
        System.out.println(table);
        Files.writeString(Path.of("target", "exchange-benchmark.txt"), table);
    }
}
