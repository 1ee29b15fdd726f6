package dev.cortado.train;

import dev.cortado.backend.Backend;
import dev.cortado.data.Dataset;
import dev.cortado.device.DeviceInfo;
import dev.cortado.device.DeviceKind;
import dev.cortado.model.LayerSpec;
import dev.cortado.model.ModelSpec;
import dev.cortado.tensor.Shape;
import dev.cortado.train.PreflightException.Problem;
import java.util.List;
import java.util.Locale;

/**
 * The checks a training run passes before its model is built and before anything is written: both splits' samples
 * against the model's input, the model's output against the number of classes, every tensor's size against what
 * one tensor can hold, and the memory a batch needs against what the device has. Each is arithmetic on the spec and
 * the data's shapes, so a misfit is found at once instead of after an epoch.
 */
public final class Preflight {
    /**
     * The most values one tensor may hold: the largest Java array, which a tensor's host copy (a checkpoint, a
     * download) needs on every device.
     */
    public static final long MAX_TENSOR_VALUES = Integer.MAX_VALUE - 8;

    private Preflight() {
    }

    /**
     * Checks a training run of {@code spec} on {@code train} (and {@code test}, when not null) with the
     * configuration's batch size, on {@code backend}'s device.
     *
     * @throws PreflightException naming the model, the data and what to change
     */
    public static void check(Backend backend, ModelSpec spec, TrainingConfig config, Dataset train, Dataset test) {
        fits(spec, train, "training");
        if (test != null) {
            if (!test.sampleShape().equals(train.sampleShape()) || !test.targets().equals(train.targets())) {
                throw new PreflightException(Problem.DATA, "the test data has samples of " + test.sampleShape()
                        + " with " + test.targets() + ", the training data " + train.sampleShape() + " with "
                        + train.targets() + ": both splits must have samples of one shape and the same targets");
            }
        }
        int batch = Math.max(batch(config, train.count(), config.trainLimit()),
                test == null ? 0 : batch(config, test.count(), config.testLimit()));
        long[] sizes = sizes(spec, Math.max(batch, 1));
        long model = 4 * sizes[0] * (2 + optimizerSlots(config));
        long activations = 4 * sizes[1];
        long available = memory(backend.info(), train, test);
        if (available > 0 && model + activations > available) {
            throw new PreflightException(Problem.MEMORY, "model '" + spec.name() + "' needs at least "
                    + bytes(model + activations) + " on " + backend.info().device() + " for batches of " + batch
                    + " (" + bytes(model) + " of parameters, gradients and optimizer state, " + bytes(activations)
                    + " of activations), more than the " + bytes(available) + " it has"
                    + (sharesTheHeap(backend.info()) ? " (the Java heap's maximum less the data)" : "") + ": "
                    + (activations > model ? "lower the batch size or use a smaller model"
                    : "use a smaller model or lower the batch size"));
        }
    }

    /**
     * Checks that {@code data} fits {@code spec}: its samples have the model's input shape and the model has one
     * output per class (or, for regression targets, outputs of the targets' shape). {@code role} names the data in the message ("training", "test").
     *
     * @throws PreflightException with {@link Problem#MODEL} saying what to change
     */
    public static void fits(ModelSpec spec, Dataset data, String role) {
        Shape samples = data.sampleShape();
        String model = "model '" + spec.name() + "'";
        if (!spec.input().equals(samples)) {
            throw new PreflightException(Problem.MODEL, model + " takes samples of " + spec.input() + ", but the "
                    + role + " data's are " + samples + ": give the model spec \"input\": " + samples
                    + (spec.input().size() == samples.size() ? " (the same values in another shape) and a "
                    + "flatten layer where it needs one" : " and layers that fit it") + ", or use data of "
                    + spec.input() + " samples");
        }
        Shape out = spec.outputShape(1);
        List<LayerSpec> layers = spec.layers();
        String last = "layers[" + (layers.size() - 1) + "] (" + layers.get(layers.size() - 1).type() + ")";
        if (!data.targets().isClassification()) {
            Shape targets = data.targets().shape();
            if (!out.dropFirst().equals(targets)) {
                throw new PreflightException(Problem.MODEL, model + " gives outputs of " + out.dropFirst()
                        + " per sample, but the " + role + " data's targets are " + targets + ": make its last "
                        + "layer, " + last + ", give " + targets);
            }
            return;
        }
        if (out.rank() != 2) {
            throw new PreflightException(Problem.MODEL, model + " ends in " + last + ", whose output for a sample is "
                    + out.dropFirst() + "; a classifier of the " + role + " data's " + data.classes()
                    + " classes needs " + data.classes() + " values: end the model with a flatten and a linear "
                    + "layer with \"out\": " + data.classes());
        }
        if (out.dim(1) != data.classes()) {
            throw new PreflightException(Problem.MODEL, model + " gives " + out.dim(1) + " outputs per sample, but "
                    + "the " + role + " data has " + data.classes() + " classes: make its last layer, " + last
                    + ", give " + data.classes() + (out.dim(1) > data.classes() ? "" : " (\"out\": "
                    + data.classes() + ")"));
        }
    }

    /**
     * The values of the parameters and of a batch's inputs and layer outputs (each layer with parameters has its
     * own output tensor), checking each tensor against {@link #MAX_TENSOR_VALUES}.
     */
    private static long[] sizes(ModelSpec spec, int batch) {
        Shape shape = spec.input().prepend(batch);
        long parameters = 0;
        long activations = values(shape);
        List<LayerSpec> layers = spec.layers();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            String where = "layers[" + i + "] (" + layer.type() + ") of model '" + spec.name() + "'";
            long weights = layer.parameterCount(shape);
            if (weights > MAX_TENSOR_VALUES) {
                throw tooLarge(where + " would hold " + count(weights) + " parameters for its input "
                        + shape.dropFirst() + ": make it smaller");
            }
            Shape out;
            try {
                out = layer.outputShape(shape);
            } catch (ArithmeticException e) {
                throw tooLarge(where + " would output more values than a tensor can hold for a batch of " + batch
                        + ": lower the batch size or make the layer smaller");
            }
            long values = values(out);
            if (values > MAX_TENSOR_VALUES) {
                throw tooLarge(where + " would output " + out + " for a batch of " + batch + ", " + count(values)
                        + " values: lower the batch size" + (batch > 1 ? "" : " or make the layer smaller"));
            }
            parameters += weights;
            if (weights > 0) {
                activations += values;
            }
            shape = out;
        }
        return new long[] {parameters, activations};
    }

    private static PreflightException tooLarge(String what) {
        return new PreflightException(Problem.MODEL, what + " (one tensor holds at most " + count(MAX_TENSOR_VALUES)
                + " values)");
    }

    /** The shape's number of values, or {@link Long#MAX_VALUE} when even that overflows. */
    private static long values(Shape shape) {
        long n = 1;
        for (int d : shape.dims()) {
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
        return n;
    }

    /** The largest batch of a split of {@code count} samples, of which a limit greater than 0 keeps the first. */
    private static int batch(TrainingConfig config, int count, int limit) {
        return Math.min(config.batchSize(), limit > 0 ? Math.min(limit, count) : count);
    }

    /** Tensors per parameter that the optimizer keeps: SGD's momentum buffer, Adam's two moments. */
    private static int optimizerSlots(TrainingConfig config) {
        return switch (config.optimizer()) {
            case SGD -> config.momentum() == 0 ? 0 : 1;
            case ADAM, ADAMW -> 2;
        };
    }

    /** The CPU backend's tensors are Java arrays, on the heap with the data. */
    private static boolean sharesTheHeap(DeviceInfo info) {
        return info.device().kind() == DeviceKind.CPU;
    }

    /** The bytes a run may use on the device, or 0 when the device does not say. */
    private static long memory(DeviceInfo info, Dataset train, Dataset test) {
        if (!sharesTheHeap(info)) {
            return info.memoryBytes();
        }
        long data = train.heldBytes() + (test == null ? 0 : test.heldBytes());
        return Math.max(1, Runtime.getRuntime().maxMemory() - data);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String bytes(long n) {
        return n >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", n / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.0f MiB", Math.ceil(n / (double) (1L << 20)));
    }
}
