package dev.cortado.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.Backend;
import dev.cortado.device.Devices;
import dev.cortado.model.ModelSpec;
import dev.cortado.train.Throughput;
import dev.cortado.train.TrainingConfig;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cortado bench}: training and inference images/s per model on a device. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures training and inference throughput (images/s) of each model on the device, on "
                + "synthetic 28x28 data: warm-up repetitions first, for at least a few seconds (the JIT compiles "
                + "the step's loops meanwhile), then the median of several repetitions.",
                "Training is SGD with momentum over shuffled batches, as in 'cortado train'.",
                "With --data, measures instead how many samples per second the batch loader serves from the "
                        + "dataset's training split, read as the first of --models takes it: with 1 thread and "
                        + "--loader-threads, without and with augmentation, and for an image folder decoding every "
                        + "image and from the cache of decoded images."})
final class BenchCommand implements Callable<Integer> {
    private static final int MAX = 1_000_000;
    private static final int MAX_WARMUP_SECONDS = 3600;

    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOption device;

    @Option(names = "--models", defaultValue = "mlp,lenet5", split = ",", paramLabel = "MODEL",
            description = "Models to measure: mlp, lenet5, resnet8, resnet20 or JSON spec paths, comma-separated "
                    + "(default: ${DEFAULT-VALUE}; the ResNets take about 12 and 35 times LeNet-5's time per image, "
                    + "so they run when named).")
    List<String> models;

    @Option(names = "--batch-size", defaultValue = "64", description = "Samples per step (default: "
            + "${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--batches", defaultValue = "30", description = "Batches per repetition (default: "
            + "${DEFAULT-VALUE}).")
    int batches;

    @Option(names = "--warmup", defaultValue = "2", description = "Fewest repetitions run first and not counted "
            + "(default: ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--warmup-seconds", defaultValue = "5", paramLabel = "S", description = "Least time the warm-up "
            + "runs for, in seconds: after --warmup repetitions it goes on until this much time has passed "
            + "(default: ${DEFAULT-VALUE}; not for --data).")
    double warmupSeconds;

    @Option(names = "--repeats", defaultValue = "5", description = "Counted repetitions; the median is reported "
            + "(default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the synthetic data and weights (default: "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print JSON (every repetition, medians) instead of a table.")
    boolean json;

    @Mixin
    DataOption data;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        check("--batch-size", batchSize, 1, TrainingConfig.MAX_BATCH_SIZE);
        check("--batches", batches, 1, MAX);
        check("--warmup", warmups, 0, MAX);
        if (!(warmupSeconds >= 0 && warmupSeconds <= MAX_WARMUP_SECONDS)) {
            throw new CliException(ExitCode.USAGE, "--warmup-seconds must be 0.." + MAX_WARMUP_SECONDS + ", got "
                    + (Double.isFinite(warmupSeconds)
                    ? BigDecimal.valueOf(warmupSeconds).stripTrailingZeros().toPlainString() : warmupSeconds));
        }
        check("--repeats", repetitions, 1, MAX);
        List<ModelSpec> specs = new ArrayList<>();
        for (String model : models) {
            specs.add(ModelOption.resolve(model.trim()));
        }
        Throughput.Settings settings = new Throughput.Settings(batchSize, batches, warmups,
                Duration.ofNanos(Math.round(warmupSeconds * 1e9)), repetitions, seed);
        PrintWriter out = spec.commandLine().getOut();
        if (data.data != null) {
            return loader(out, specs.get(0), settings);
        }
        DeviceOption.Opened opened = device.open(Devices.system());
        List<Throughput.Measurement> results = new ArrayList<>();
        try (Backend backend = opened.backend()) {
            if (!json) {
                out.println("device: " + opened.describe());
                out.println("settings: batch " + batchSize + ", " + batches + " batches per repetition; warm-up: "
                        + count(warmups, "repetition") + ", at least " + Format.seconds(warmupSeconds) + "; "
                        + count(repetitions, "measured repetition") + ", median reported");
                out.println();
                out.flush();
            }
            for (ModelSpec model : specs) {
                results.add(Throughput.measure(backend, model, settings));
            }
        }
        out.print(json ? toJson(opened, results) + "\n" : table(results));
        out.flush();
        return ExitCode.OK.code();
    }

    /** {@code --data}: the loader's rates instead of the models'. */
    private int loader(PrintWriter out, ModelSpec model, Throughput.Settings settings) {
        String unit = DataOption.format(data.data).unit();
        if (!json) {
            out.println("data: " + data.data + " (training split), read as model '" + model.name() + "' takes it: "
                    + model.input());
            out.println("settings: batch " + batchSize + ", " + batches + " batches per repetition, " + warmups
                    + " warm-up + " + repetitions + " measured repetitions, median reported; " + LoaderBench.describe());
            out.println();
            out.flush();
        }
        List<LoaderBench.Row> rows = LoaderBench.measure(data, data.data, model.input(), settings);
        out.print(json ? LoaderBench.json(data.data.toString(), rows) : LoaderBench.table(rows, unit));
        out.flush();
        return ExitCode.OK.code();
    }

    /** {@code "1 repetition"}, {@code "5 repetitions"}: the count, then the noun, plural unless the count is 1. */
    private static String count(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static void check(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new CliException(ExitCode.USAGE, option + " must be " + min + ".." + max + ", got " + value);
        }
    }

    static String table(List<Throughput.Measurement> results) {
        TextTable table = new TextTable("model", ">batch", ">warm-ups", ">train images/s", ">range",
                ">inference images/s", ">range");
        for (Throughput.Measurement m : results) {
            table.add(m.model(), m.settings().batchSize(), m.warmups(), Format.rate(m.trainingMedian()),
                    range(m.training()), Format.rate(m.inferenceMedian()), range(m.inference()));
        }
        return table.render();
    }

    private static String range(double[] values) {
        return Format.rate(Arrays.stream(values).min().orElse(0)) + ".."
                + Format.rate(Arrays.stream(values).max().orElse(0));
    }

    private static String toJson(DeviceOption.Opened opened, List<Throughput.Measurement> results)
            throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("device", opened.selection().device().toString());
        root.put("device_name", opened.selection().info().name());
        ArrayNode array = root.putArray("results");
        for (Throughput.Measurement m : results) {
            ObjectNode node = array.addObject();
            node.put("model", m.model());
            node.put("batch_size", m.settings().batchSize());
            node.put("batches", m.settings().batches());
            node.put("warmups", m.warmups());
            node.put("warmup_seconds", m.settings().warmupTime().toNanos() / 1e9);
            node.put("train_images_per_second", m.trainingMedian());
            node.put("inference_images_per_second", m.inferenceMedian());
            ArrayNode train = node.putArray("train_runs");
            Arrays.stream(m.training()).forEach(train::add);
            ArrayNode inference = node.putArray("inference_runs");
            Arrays.stream(m.inference()).forEach(inference::add);
        }
        return mapper.writeValueAsString(root);
    }
}
