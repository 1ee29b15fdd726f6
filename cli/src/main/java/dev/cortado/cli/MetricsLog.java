package dev.cortado.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.train.EpochResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metrics.jsonl}: one JSON object per line, {@code "type": "step"} every N steps (loss and accuracy over
 * those steps, learning rate, images/s) and {@code "type": "epoch"} per epoch (train and test loss and accuracy,
 * images/s, seconds). Every line has {@code step}, the number of updates made when it was written. Lines are
 * flushed as written, so a crash loses none; a resumed run first drops the lines written after its checkpoint.
 */
public final class MetricsLog implements AutoCloseable {
    /** The file's name in the output directory. */
    public static final String FILE_NAME = "metrics.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> lines;
    private final BufferedWriter writer;
    private final Metric metric;

    private MetricsLog(Path file, List<JsonNode> kept, Metric metric) throws IOException {
        this.lines = new ArrayList<>(kept);
        this.metric = metric;
        this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** A new, empty log of the run's metric (an old file is replaced). */
    public static MetricsLog create(Path dir, Metric metric) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE_NAME));
        return new MetricsLog(dir.resolve(FILE_NAME), List.of(), metric);
    }

    /** Continues the log of a run resumed at {@code step}: lines written after that step are dropped. */
    public static MetricsLog resume(Path dir, long step, Metric metric) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        List<JsonNode> kept = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                JsonNode node = parse(line);
                if (node != null && node.path("step").asLong(Long.MAX_VALUE) <= step) {
                    kept.add(node);
                }
            }
            Path temp = RunFiles.temporary(file);
            List<String> text = new ArrayList<>();
            for (JsonNode node : kept) {
                text.add(JSON.writeValueAsString(node));
            }
            Files.write(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return new MetricsLog(file, kept, metric);
    }

    /** A line as JSON, or null for a line cut short by a crash. */
    private static JsonNode parse(String line) {
        try {
            return line.isBlank() ? null : JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Records the loss and accuracy over the last steps up to {@code step} updates. */
    void step(int epoch, int batch, long step, double loss, double accuracy, float lr, double imagesPerSecond)
            throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "step");
        node.put("epoch", epoch + 1);
        node.put("batch", batch + 1);
        node.put("step", step);
        node.put("loss", loss);
        node.put(metric.key(), accuracy);
        node.put("lr", lr);
        node.put("images_per_second", imagesPerSecond);
        append(node);
    }

    /** Records a completed epoch, after {@code step} updates. */
    void epoch(EpochResult result, long step) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "epoch");
        node.put("epoch", result.epoch() + 1);
        node.put("step", step);
        node.put("train_loss", result.trainLoss());
        node.put("train_" + metric.key(), result.trainMetric());
        if (result.test() != null) {
            node.put("test_loss", result.test().loss());
            node.put("test_" + metric.key(), result.test().metric());
        }
        node.put("images_per_second", result.imagesPerSecond());
        node.put("seconds", result.seconds());
        append(node);
    }

    private void append(ObjectNode node) throws IOException {
        lines.add(node);
        writer.write(JSON.writeValueAsString(node));
        writer.newLine();
        writer.flush();
    }

    /** Every line so far, those kept from before a resume included. */
    List<JsonNode> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
