package dev.cortado.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.nn.Parameter;
import dev.cortado.optim.Adam;
import dev.cortado.optim.GradientClipping;
import dev.cortado.optim.LrSchedule;
import dev.cortado.optim.Optimizer;
import dev.cortado.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything that decides what a training run computes, apart from the model and the data: a checkpoint stores
 * it, and a resumed run must use the same one to end with the same weights. The constructor rejects values that
 * make no sense (a batch size of 0, a NaN learning rate) and absurd ones (more than {@value #MAX_EPOCHS} epochs,
 * batches over {@value #MAX_BATCH_SIZE}, a learning rate over {@value #MAX_LR}), naming the setting.
 *
 * @param optimizer the update rule
 * @param lr the base learning rate
 * @param momentum SGD momentum in [0, 1); 0 for Adam and AdamW
 * @param weightDecay L2 (SGD, Adam) or decoupled (AdamW) weight decay, >= 0
 * @param nesterov Nesterov momentum (SGD only)
 * @param schedule how the learning rate changes over the steps
 * @param stepEpochs for the step schedule: multiply the rate by {@value #STEP_GAMMA} every this many epochs
 * @param epochs passes over the training data
 * @param batchSize samples per step
 * @param seed fixes the initial weights, the order of batches in every epoch and the dropout masks
 * @param trainLimit train on the first this many training samples only; 0 for all
 * @param testLimit evaluate on the first this many test samples only; 0 for all
 * @param labelSmoothing the cross-entropy's label smoothing in [0, 1] (PyTorch's {@code label_smoothing}); 0 for
 *     none
 * @param clipGradNorm scale the gradients down to this global L2 norm before each update when it is larger
 *     (PyTorch's {@code clip_grad_norm_}); 0 for no clipping
 */
public record TrainingConfig(OptimizerKind optimizer, float lr, float momentum, float weightDecay,
                             boolean nesterov, ScheduleKind schedule, int stepEpochs, int epochs, int batchSize,
                             long seed, int trainLimit, int testLimit, float labelSmoothing, float clipGradNorm) {
    public static final int MAX_EPOCHS = 100_000;
    public static final int MAX_BATCH_SIZE = 65_536;
    public static final float MAX_LR = 100f;
    /** The factor of the step schedule, as in PyTorch's StepLR default recipe. */
    public static final float STEP_GAMMA = 0.1f;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The update rules. */
    public enum OptimizerKind {
        SGD, ADAM, ADAMW;

        /** The name on the command line and in JSON: {@code sgd}, {@code adam}, {@code adamw}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The learning-rate schedules. */
    public enum ScheduleKind {
        CONSTANT, STEP, COSINE;

        /** The name on the command line and in JSON: {@code constant}, {@code step}, {@code cosine}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public TrainingConfig {
        if (optimizer == null || schedule == null) {
            throw new IllegalArgumentException("optimizer and schedule must be given");
        }
        if (!(Float.isFinite(lr) && lr > 0 && lr <= MAX_LR)) {
            throw new IllegalArgumentException("learning rate must be a number in (0, " + MAX_LR + "], got " + lr);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (optimizer != OptimizerKind.SGD && (momentum != 0 || nesterov)) {
            throw new IllegalArgumentException("momentum and Nesterov apply to the sgd optimizer only, not "
                    + optimizer.label());
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs a momentum > 0");
        }
        if (!(Float.isFinite(weightDecay) && weightDecay >= 0 && weightDecay <= 1)) {
            throw new IllegalArgumentException("weight decay must be in [0, 1], got " + weightDecay);
        }
        if (stepEpochs < 1 || stepEpochs > MAX_EPOCHS) {
            throw new IllegalArgumentException("step schedule interval must be 1.." + MAX_EPOCHS + " epochs, got "
                    + stepEpochs);
        }
        if (epochs < 1 || epochs > MAX_EPOCHS) {
            throw new IllegalArgumentException("epochs must be 1.." + MAX_EPOCHS + ", got " + epochs);
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batch size must be 1.." + MAX_BATCH_SIZE + ", got " + batchSize);
        }
        if (trainLimit < 0 || testLimit < 0) {
            throw new IllegalArgumentException("sample limits must be >= 1 (or 0 for all), got train " + trainLimit
                    + ", test " + testLimit);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1], got " + labelSmoothing);
        }
        if (!(Float.isFinite(clipGradNorm) && clipGradNorm >= 0)) {
            throw new IllegalArgumentException("gradient clipping norm must be a number >= 0 (0 for none), got "
                    + clipGradNorm);
        }
    }

    /** Without label smoothing or gradient clipping. */
    public TrainingConfig(OptimizerKind optimizer, float lr, float momentum, float weightDecay, boolean nesterov,
                          ScheduleKind schedule, int stepEpochs, int epochs, int batchSize, long seed, int trainLimit,
                          int testLimit) {
        this(optimizer, lr, momentum, weightDecay, nesterov, schedule, stepEpochs, epochs, batchSize, seed,
                trainLimit, testLimit, 0f, 0f);
    }

    /**
     * The project's reference recipe: SGD with momentum 0.9, learning rate 0.01, batches of 64, 3 epochs, a
     * constant rate, seed 42, all samples, no label smoothing, no gradient clipping.
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(OptimizerKind.SGD, 0.01f, 0.9f, 0f, false, ScheduleKind.CONSTANT, 1, 3, 64, 42L,
                0, 0);
    }

    /** A builder that starts from {@link #defaults()}. */
    public static TrainingConfigBuilder builder() {
        return new TrainingConfigBuilder(defaults());
    }

    /** This configuration with another number of epochs. */
    public TrainingConfig withEpochs(int newEpochs) {
        return new TrainingConfig(optimizer, lr, momentum, weightDecay, nesterov, schedule, stepEpochs, newEpochs,
                batchSize, seed, trainLimit, testLimit, labelSmoothing, clipGradNorm);
    }

    /** This configuration with another label smoothing. */
    public TrainingConfig withLabelSmoothing(float newLabelSmoothing) {
        return new TrainingConfig(optimizer, lr, momentum, weightDecay, nesterov, schedule, stepEpochs, epochs,
                batchSize, seed, trainLimit, testLimit, newLabelSmoothing, clipGradNorm);
    }

    /** This configuration with another gradient clipping norm (0 for none). */
    public TrainingConfig withClipGradNorm(float newClipGradNorm) {
        return new TrainingConfig(optimizer, lr, momentum, weightDecay, nesterov, schedule, stepEpochs, epochs,
                batchSize, seed, trainLimit, testLimit, labelSmoothing, newClipGradNorm);
    }

    /**
     * A new optimizer over {@code parameters}, with zeroed state; with gradient clipping, it clips the gradients
     * before each update.
     */
    public Optimizer newOptimizer(List<Parameter> parameters) {
        Optimizer update = switch (optimizer) {
            case SGD -> new Sgd(parameters, momentum, weightDecay, nesterov);
            case ADAM -> Adam.adam(parameters, weightDecay);
            case ADAMW -> Adam.adamW(parameters, weightDecay);
        };
        return clipGradNorm == 0 ? update : new GradientClipping(update, parameters, clipGradNorm);
    }

    /** The learning rate per step for epochs of {@code batchesPerEpoch} steps. */
    public LrSchedule newSchedule(int batchesPerEpoch) {
        return switch (schedule) {
            case CONSTANT -> new LrSchedule.Constant(lr);
            case STEP -> new LrSchedule.StepDecay(lr, (long) stepEpochs * batchesPerEpoch, STEP_GAMMA);
            case COSINE -> new LrSchedule.Cosine(lr, (long) epochs * batchesPerEpoch, 0f);
        };
    }

    /**
     * The settings in which {@code other} differs from this, as {@code name: this value vs other value}; the
     * number of epochs is compared only where it changes the learning rates (the cosine schedule).
     */
    public List<String> differencesFrom(TrainingConfig other) {
        List<String> differences = new ArrayList<>();
        JsonNode mine = toJsonNode();
        JsonNode theirs = other.toJsonNode();
        mine.fieldNames().forEachRemaining(name -> {
            boolean epochsMatter = schedule == ScheduleKind.COSINE || other.schedule == ScheduleKind.COSINE;
            if (name.equals("epochs") && !epochsMatter) {
                return;
            }
            if (!mine.get(name).equals(theirs.get(name))) {
                differences.add(name + ": " + mine.get(name) + " vs " + theirs.get(name));
            }
        });
        return differences;
    }

    /** This configuration as one line of JSON, which {@link #fromJson} reads back. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(toJsonNode());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    private ObjectNode toJsonNode() {
        ObjectNode node = JSON.createObjectNode();
        node.put("optimizer", optimizer.label());
        node.put("lr", lr);
        node.put("momentum", momentum);
        node.put("weight_decay", weightDecay);
        node.put("nesterov", nesterov);
        node.put("schedule", schedule.label());
        node.put("step_epochs", stepEpochs);
        node.put("epochs", epochs);
        node.put("batch_size", batchSize);
        node.put("seed", seed);
        node.put("train_limit", trainLimit);
        node.put("test_limit", testLimit);
        node.put("label_smoothing", labelSmoothing);
        node.put("clip_grad_norm", clipGradNorm);
        return node;
    }

    /**
     * Reads what {@link #toJson} wrote; a configuration written before label smoothing and gradient clipping
     * existed has neither.
     *
     * @throws IllegalArgumentException naming the missing or bad setting
     */
    public static TrainingConfig fromJson(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed training configuration: " + e.getOriginalMessage(), e);
        }
        return new TrainingConfig(
                OptimizerKind.valueOf(text(node, "optimizer").toUpperCase(Locale.ROOT)),
                (float) number(node, "lr").doubleValue(),
                (float) number(node, "momentum").doubleValue(),
                (float) number(node, "weight_decay").doubleValue(),
                field(node, "nesterov").asBoolean(),
                ScheduleKind.valueOf(text(node, "schedule").toUpperCase(Locale.ROOT)),
                number(node, "step_epochs").intValue(),
                number(node, "epochs").intValue(),
                number(node, "batch_size").intValue(),
                number(node, "seed").longValue(),
                number(node, "train_limit").intValue(),
                number(node, "test_limit").intValue(),
                node.has("label_smoothing") ? (float) number(node, "label_smoothing").doubleValue() : 0f,
                node.has("clip_grad_norm") ? (float) number(node, "clip_grad_norm").doubleValue() : 0f);
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("training configuration lacks '" + name + "'");
        }
        return value;
    }

    private static String text(JsonNode node, String name) {
        return field(node, name).asText();
    }

    private static Number number(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isNumber()) {
            throw new IllegalArgumentException("training configuration: '" + name + "' is not a number: " + value);
        }
        return value.numberValue();
    }
}
