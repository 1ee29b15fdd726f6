package dev.cortado.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.data.DataInfo;
import dev.cortado.io.HostTensor;
import dev.cortado.io.Safetensors;
import dev.cortado.model.ModelSpec;
import dev.cortado.nn.Layer;
import dev.cortado.nn.Parameter;
import dev.cortado.nn.Sequential;
import dev.cortado.nn.layers.Dropout;
import dev.cortado.optim.Optimizer;
import dev.cortado.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything needed to continue a training run exactly, or to evaluate its model, in one safetensors file.
 *
 * <p>Tensors: the model's parameters and buffers under their {@link Sequential} names ({@code 0.weight},
 * {@code 3.running_mean}, as PyTorch's {@code nn.Sequential} names them), and the optimizer's state under
 * {@value #OPTIMIZER_PREFIX} + its names ({@code optimizer.0.weight.momentum_buffer}). String metadata, each
 * value JSON where it is not a plain string: {@code format} ({@value #FORMAT}), {@code format_version}, the
 * {@code model} spec, the training {@code config}, the {@code position} (epoch, next batch, step, training
 * samples), {@code rng} (the seed and each dropout layer's count of training passes), the {@code history} of
 * completed epochs, the {@code partial_epoch} statistics of the epoch under way, and what the model keeps of its
 * training data ({@link DataInfo}: {@code classes}, {@code normalization}, {@code augmentation}, each only when
 * there is one). Since format version 2 the file also carries the checksums {@link Safetensors} writes and checks, so a damaged checkpoint is refused; files
 * of version 1, which have none, are read as before ({@link #checksummed()} is false for them).
 *
 * <p>A model saved on its own ({@link #ofModel}, as {@link dev.cortado.Model#save} does) is the same file
 * with the model's tensors, spec and data information and no training state: {@code config}, {@code position},
 * {@code rng} and {@code history} are left out. It can be evaluated and loaded, not resumed.
 *
 * @param spec the model's architecture
 * @param config the run's training configuration, or null for a model saved on its own
 * @param position where the run stands, or null for a model saved on its own
 * @param history the results of the completed epochs, in order
 * @param partialEpoch the statistics of the steps run so far in the current epoch, or null at an epoch boundary
 * @param dropoutCalls training passes of each dropout layer so far, by its index in the model
 * @param tensors model and optimizer tensors by name
 * @param checksummed whether the file read had checksums (all of which matched); true for a captured checkpoint
 * @param data the class names and preprocessing of the training data ({@link DataInfo#NONE} when unknown)
 */
public record Checkpoint(ModelSpec spec, TrainingConfig config, TrainingPosition position,
                         List<EpochResult> history, EpochResult partialEpoch, Map<Integer, Long> dropoutCalls,
                         Map<String, HostTensor> tensors, boolean checksummed, DataInfo data) {
    /** The value of the {@code format} metadata entry. */
    public static final String FORMAT = "cortado.checkpoint";
    /** The version this code writes; it also reads version 1, the same without checksums. */
    public static final int FORMAT_VERSION = 2;
    /** The prefix of optimizer state tensors. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";

    /** Why a model saved on its own cannot be resumed. */
    public static final String NO_TRAINING_STATE = "holds a model saved on its own, without training state: it "
            + "can be evaluated, predicted with and loaded (Model.load), not resumed";

    private static final ObjectMapper JSON = new ObjectMapper();

    public Checkpoint {
        history = List.copyOf(history);
        dropoutCalls = Map.copyOf(dropoutCalls);
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        Objects.requireNonNull(data, "data");
    }

    /** A checkpoint without information on its training data. */
    public Checkpoint(ModelSpec spec, TrainingConfig config, TrainingPosition position, List<EpochResult> history,
                      EpochResult partialEpoch, Map<Integer, Long> dropoutCalls, Map<String, HostTensor> tensors,
                      boolean checksummed) {
        this(spec, config, position, history, partialEpoch, dropoutCalls, tensors, checksummed, DataInfo.NONE);
    }

    /** Downloads the live state of a run, trained on data described by {@code data}, into a checkpoint. */
    public static Checkpoint capture(ModelSpec spec, TrainingConfig config, TrainingPosition position,
                                     List<EpochResult> history, EpochResult partialEpoch, Sequential model,
                                     Optimizer optimizer, DataInfo data) {
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            tensors.put(p.name(), HostTensor.of(p.value()));
        }
        model.buffers().forEach((name, t) -> tensors.put(name, HostTensor.of(t)));
        optimizer.state().forEach((name, t) -> tensors.put(OPTIMIZER_PREFIX + name, HostTensor.of(t)));
        Map<Integer, Long> calls = new LinkedHashMap<>();
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Dropout dropout) {
                calls.put(i, dropout.calls());
            }
        }
        return new Checkpoint(spec, config, position, history, partialEpoch, calls, tensors, true, data);
    }

    /** A model's weights and buffers with its spec and what it keeps of its data, without training state. */
    public static Checkpoint ofModel(ModelSpec spec, Sequential model, DataInfo data) {
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            tensors.put(p.name(), HostTensor.of(p.value()));
        }
        model.buffers().forEach((name, t) -> tensors.put(name, HostTensor.of(t)));
        return new Checkpoint(spec, null, null, List.of(), null, Map.of(), tensors, true, data);
    }

    /** True for a training run's checkpoint, false for a model saved on its own. */
    public boolean hasTrainingState() {
        return config != null;
    }

    /** Writes this checkpoint to {@code file} atomically (temporary file, then rename). */
    public void write(Path file) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("format_version", Integer.toString(FORMAT_VERSION));
        metadata.put("model", spec.toJson());
        metadata.putAll(data.toMetadata());
        if (hasTrainingState()) {
            writeTrainingState(metadata);
        }
        Safetensors.write(file, tensors, metadata);
    }

    private void writeTrainingState(Map<String, String> metadata) {
        metadata.put("config", config.toJson());
        metadata.put("position", json(positionJson()));
        metadata.put("rng", json(rngJson()));
        ArrayNode epochs = JSON.createArrayNode();
        history.forEach(e -> epochs.add(epochJson(e)));
        metadata.put("history", json(epochs));
        if (partialEpoch != null) {
            metadata.put("partial_epoch", json(epochJson(partialEpoch)));
        }
    }

    /**
     * Reads a checkpoint written by {@link #write}.
     *
     * @throws CheckpointException naming the file when it is missing, unreadable, damaged (a checksum does not
     *     match), not a Cortado checkpoint or of another format version
     */
    public static Checkpoint read(Path file) throws CheckpointException {
        Safetensors.Contents contents;
        try {
            contents = Safetensors.read(file);
        } catch (IOException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
        Map<String, String> meta = contents.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new CheckpointException(file + ": not a Cortado checkpoint (a safetensors file without format "
                    + FORMAT + " in its metadata)");
        }
        String version = meta.get("format_version");
        if (!Integer.toString(FORMAT_VERSION).equals(version) && !"1".equals(version)) {
            throw new CheckpointException(file + ": checkpoint format version " + version
                    + "; this Cortado reads versions 1 and " + FORMAT_VERSION);
        }
        if (!"1".equals(version) && !contents.checksummed()) {
            throw new CheckpointException(file + ": corrupt file: a version " + version + " checkpoint without its "
                    + "checksums; it was damaged after it was written (disk, copy or transfer)");
        }
        try {
            ModelSpec spec = ModelSpec.parse(required(meta, "model"));
            DataInfo data = DataInfo.fromMetadata(meta);
            if (!meta.containsKey("config")) {
                return new Checkpoint(spec, null, null, List.of(), null, Map.of(), contents.tensors(),
                        contents.checksummed(), data);
            }
            TrainingConfig config = TrainingConfig.fromJson(required(meta, "config"));
            JsonNode pos = JSON.readTree(required(meta, "position"));
            TrainingPosition position = new TrainingPosition(pos.path("epoch").asInt(-1),
                    pos.path("batch").asInt(-1), pos.path("step").asLong(-1), pos.path("train_samples").asInt(-1));
            Map<Integer, Long> calls = new LinkedHashMap<>();
            JsonNode rng = JSON.readTree(required(meta, "rng"));
            rng.path("dropout_calls").properties().forEach(
                    e -> calls.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
            List<EpochResult> history = new ArrayList<>();
            for (JsonNode node : JSON.readTree(required(meta, "history"))) {
                history.add(epochFromJson(node));
            }
            String partial = meta.get("partial_epoch");
            EpochResult partialEpoch = partial == null ? null : epochFromJson(JSON.readTree(partial));
            return new Checkpoint(spec, config, position, history, partialEpoch, calls, contents.tensors(),
                    contents.checksummed(), data);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CheckpointException(file + ": corrupt checkpoint metadata: " + e.getMessage(), e);
        }
    }

    /**
     * What in the tensors is NaN or infinite, e.g. {@code 3.weight (12 NaN, 1 infinite of 400 values)}, naming
     * every such tensor, or empty when all are finite. A model with such weights computes nothing useful, and an
     * optimizer state with them spoils every later step.
     */
    public Optional<String> nonFinite() {
        List<String> bad = new ArrayList<>();
        tensors.forEach((name, t) -> {
            long nan = 0;
            long infinite = 0;
            for (float v : t.data()) {
                if (Float.isNaN(v)) {
                    nan++;
                } else if (Float.isInfinite(v)) {
                    infinite++;
                }
            }
            if (nan + infinite > 0) {
                bad.add(name + " (" + (nan > 0 ? nan + " NaN" : "") + (nan > 0 && infinite > 0 ? ", " : "")
                        + (infinite > 0 ? infinite + " infinite" : "") + " of " + t.data().length + " values)");
            }
        });
        return bad.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", bad));
    }

    private static String required(Map<String, String> meta, String key) {
        String value = meta.get(key);
        if (value == null) {
            throw new IllegalArgumentException("no '" + key + "' entry");
        }
        return value;
    }

    /**
     * Loads the weights, buffers, optimizer state and step count, and the dropout layers' pass counts into a
     * model built from {@link #spec()} and an optimizer made from {@link #config()}.
     *
     * @throws CheckpointException when a tensor is missing, has another shape, or is left over
     */
    public void restore(Sequential model, Optimizer optimizer) throws CheckpointException {
        if (!hasTrainingState()) {
            throw new CheckpointException(NO_TRAINING_STATE);
        }
        Set<String> unused = new LinkedHashSet<>(tensors.keySet());
        restoreModel(model, unused);
        for (Map.Entry<String, Tensor> e : optimizer.state().entrySet()) {
            load(OPTIMIZER_PREFIX + e.getKey(), e.getValue(), unused);
        }
        if (!unused.isEmpty()) {
            throw new CheckpointException("checkpoint holds tensors the model and optimizer lack: " + unused);
        }
        optimizer.restoreSteps(position.step());
        List<Layer> layers = model.layers();
        for (Map.Entry<Integer, Long> e : dropoutCalls.entrySet()) {
            int index = e.getKey();
            if (index >= layers.size() || !(layers.get(index) instanceof Dropout dropout)) {
                throw new CheckpointException("checkpoint has a dropout pass count for layer " + index
                        + ", which is not a dropout layer in this model");
            }
            dropout.restoreCalls(e.getValue());
        }
    }

    /**
     * Loads only the weights and buffers (for evaluation); optimizer state in the file is ignored.
     *
     * @throws CheckpointException when a model tensor is missing, has another shape, or is left over
     */
    public void restoreModel(Sequential model) throws CheckpointException {
        Set<String> unused = new LinkedHashSet<>(tensors.keySet());
        unused.removeIf(name -> name.startsWith(OPTIMIZER_PREFIX));
        restoreModel(model, unused);
        if (!unused.isEmpty()) {
            throw new CheckpointException("checkpoint holds tensors the model lacks: " + unused);
        }
    }

    private void restoreModel(Sequential model, Set<String> unused) throws CheckpointException {
        for (Parameter p : model.parameters()) {
            load(p.name(), p.value(), unused);
        }
        for (Map.Entry<String, Tensor> e : model.buffers().entrySet()) {
            load(e.getKey(), e.getValue(), unused);
        }
    }

    private void load(String name, Tensor target, Set<String> unused) throws CheckpointException {
        HostTensor stored = tensors.get(name);
        if (stored == null) {
            throw new CheckpointException("checkpoint lacks tensor " + name);
        }
        try {
            stored.copyInto(target, name);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
        unused.remove(name);
    }

    private ObjectNode positionJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("epoch", position.epoch());
        node.put("batch", position.batch());
        node.put("step", position.step());
        node.put("train_samples", position.trainSamples());
        return node;
    }

    private ObjectNode rngJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("seed", config.seed());
        ObjectNode calls = node.putObject("dropout_calls");
        dropoutCalls.forEach((index, count) -> calls.put(Integer.toString(index), count));
        return node;
    }

    private static ObjectNode epochJson(EpochResult e) {
        ObjectNode node = JSON.createObjectNode();
        node.put("epoch", e.epoch());
        node.put("train_loss", e.trainLoss());
        node.put("train_metric", e.trainMetric());
        node.put("samples", e.samples());
        node.put("seconds", e.seconds());
        node.put("complete", e.complete());
        if (e.test() != null) {
            ObjectNode test = node.putObject("test");
            test.put("loss", e.test().loss());
            test.put("metric_sum", e.test().metricSum());
            test.put("count", e.test().count());
            if (e.test().isClassification()) {
                ArrayNode rows = test.putArray("confusion");
                for (int[] row : e.test().confusion()) {
                    ArrayNode r = rows.addArray();
                    for (int n : row) {
                        r.add(n);
                    }
                }
            }
        }
        return node;
    }

    private static EpochResult epochFromJson(JsonNode node) {
        Evaluation test = null;
        JsonNode t = node.get("test");
        if (t != null) {
            int[][] confusion = null;
            if (t.has("confusion")) {
                JsonNode rows = t.path("confusion");
                confusion = new int[rows.size()][];
                for (int i = 0; i < confusion.length; i++) {
                    JsonNode row = rows.get(i);
                    confusion[i] = new int[row.size()];
                    for (int j = 0; j < confusion[i].length; j++) {
                        confusion[i][j] = row.get(j).asInt();
                    }
                }
            }
            // Files of format versions 1 and 2 name the metric by what a classification measures.
            test = new Evaluation(t.path("loss").asDouble(), (t.has("metric_sum") ? t.path("metric_sum")
                    : t.path("correct")).asDouble(), t.path("count").asInt(), confusion);
        }
        return new EpochResult(node.path("epoch").asInt(), node.path("train_loss").asDouble(),
                (node.has("train_metric") ? node.path("train_metric") : node.path("train_accuracy")).asDouble(),
                node.path("samples").asLong(),
                node.path("seconds").asDouble(), node.path("complete").asBoolean(), test);
    }

    private static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }
}
