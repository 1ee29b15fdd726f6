package dev.cortado.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.data.Augmentation;
import dev.cortado.data.DataFormat;
import dev.cortado.data.Dataset;
import dev.cortado.data.LoaderThroughput;
import dev.cortado.data.Normalization;
import dev.cortado.tensor.Shape;
import dev.cortado.train.Throughput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code cortado bench --data}: how many samples per second the batch loader serves from a dataset's training
 * split, read as training reads it (normalized; images at a model's input shape), with 1 thread and with
 * {@code --loader-threads}, without and with augmentation, and for an image folder both decoding every image and
 * from the cache of decoded images (the epochs after the first).
 */
final class LoaderBench {
    /** The normalization measured: its arithmetic is the same whatever the values. */
    private static final float MEAN = 0.5f;
    private static final float STD = 0.25f;

    /**
     * One measured configuration.
     *
     * @param source {@code decoded}, {@code cached} or {@code memory}
     * @param rates samples per second of each counted repetition
     */
    record Row(String source, int threads, boolean augmented, double[] rates) {
        double median() {
            return Throughput.median(rates);
        }
    }

    /** A way of reading the data, before it is measured. */
    private record Configuration(String source, int threads, boolean augmented, Dataset data) {
    }

    private LoaderBench() {
    }

    /**
     * Measures every configuration of the dataset at {@code path}, read as a model of input {@code input}. Every
     * configuration runs its warm-up repetitions before any is measured, so that the first measured does not pay
     * for compiling the code they share.
     */
    static List<Row> measure(DataOption data, Path path, Shape input, Throughput.Settings settings) {
        DataFormat format = DataOption.format(path);
        int threads = data.loaderThreads();
        List<String> sources = format == DataFormat.IMAGE_FOLDER ? List.of("decoded", "cached") : List.of("memory");
        List<Configuration> configurations = new ArrayList<>();
        for (String source : sources) {
            Dataset split = data.trainingSplit(path, format, input, source.equals("decoded") ? 0
                    : Runtime.getRuntime().maxMemory() / 4);
            if (source.equals("cached")) {
                // One epoch first, as training's first epoch would, so that every image is in the cache.
                LoaderThroughput.measure(split.readInParallel(threads), 256, Integer.MAX_VALUE, 0, 1, 0);
            }
            for (int t : threads == 1 ? new int[] {1} : new int[] {1, threads}) {
                for (boolean augmented : format.isImages() ? new boolean[] {false, true} : new boolean[] {false}) {
                    Dataset read = split.readInParallel(t);
                    if (augmented) {
                        read = read.augmented(Augmentation.standard());
                    }
                    configurations.add(new Configuration(source, t, augmented,
                            read.normalized(normalization(read.sampleShape()))));
                }
            }
        }
        for (Configuration c : configurations) {
            if (settings.warmups() > 0) {
                LoaderThroughput.measure(c.data(), settings.batchSize(), settings.batches(), 0, settings.warmups(),
                        settings.seed());
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Configuration c : configurations) {
            rows.add(new Row(c.source(), c.threads(), c.augmented(), LoaderThroughput.measure(c.data(),
                    settings.batchSize(), settings.batches(), 0, settings.repetitions(), settings.seed())));
        }
        return rows;
    }

    static String table(List<Row> rows, String unit) {
        TextTable table = new TextTable(unit, ">threads", "augment", ">" + unit + "/s", ">range");
        for (Row row : rows) {
            table.add(row.source(), row.threads(), row.augmented() ? "crops+flips" : "-", Format.rate(row.median()),
                    Format.rate(Arrays.stream(row.rates()).min().orElse(0)) + ".."
                            + Format.rate(Arrays.stream(row.rates()).max().orElse(0)));
        }
        return table.render();
    }

    static String json(String source, List<Row> rows) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("data", source);
        ArrayNode array = root.putArray("loader");
        for (Row row : rows) {
            ObjectNode node = array.addObject();
            node.put("source", row.source());
            node.put("threads", row.threads());
            node.put("augment", row.augmented());
            node.put("samples_per_second", row.median());
            ArrayNode runs = node.putArray("runs");
            Arrays.stream(row.rates()).forEach(runs::add);
        }
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For the settings line: {@code normalized per channel; augment: random crops with padding 4, ...}. */
    static String describe() {
        return String.format(Locale.ROOT, "inputs normalized per channel (mean %.2f, std %.2f); augment: %s", MEAN, STD,
                Augmentation.standard().describe());
    }

    private static Normalization normalization(Shape sample) {
        int channels = sample.dim(0);
        float[] mean = new float[channels];
        float[] std = new float[channels];
        Arrays.fill(mean, MEAN);
        Arrays.fill(std, STD);
        return new Normalization(mean, std);
    }
}
