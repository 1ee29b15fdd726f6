package dev.cortado;

import dev.cortado.backend.Backend;
import dev.cortado.data.DataInfo;
import dev.cortado.data.Dataset;
import dev.cortado.data.DatasetException;
import dev.cortado.data.ImageFiles;
import dev.cortado.model.LayerTypes;
import dev.cortado.model.ModelSpec;
import dev.cortado.nn.Mode;
import dev.cortado.nn.Sequential;
import dev.cortado.nn.TensorSlot;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import dev.cortado.train.Checkpoint;
import dev.cortado.train.CheckpointException;
import dev.cortado.train.EpochResult;
import dev.cortado.train.Evaluation;
import dev.cortado.train.Evaluator;
import dev.cortado.train.Objective;
import dev.cortado.train.StepResult;
import dev.cortado.train.TrainingConfig;
import dev.cortado.train.TrainingListener;
import dev.cortado.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A model on one device: its architecture ({@link ModelSpec}) and its weights, with what a user does with one.
 *
 * <pre>{@code
 * try (Backend device = Devices.openBest();
 *      Model model = Model.create(ModelSpec.builtIn("lenet5"), device, 42)) {
 *     model.fit(train, test, TrainingConfig.builder().epochs(3).build());
 *     Prediction p = model.predict(image);          // 784 floats in [0, 1]
 *     System.out.println(p.topK(3));
 *     model.save(Path.of("lenet5.safetensors"));
 * }
 * }</pre>
 *
 * <p>{@link #predict} is safe to call from many threads at once: the weights are shared, and each caller borrows
 * activations of its own (an {@link Sequential#evaluationCopy() evaluation copy} of the network, made on first
 * need and kept for reuse). Training excludes predictions while it runs.
 */
public final class Model implements AutoCloseable {
    /** Samples per forward pass when predicting a batch: bounds the activations' memory. */
    static final int PREDICT_CHUNK = 256;

    private final ModelSpec spec;
    private final Backend backend;
    private final Sequential network;
    private final ConcurrentLinkedDeque<Predictor> idle = new ConcurrentLinkedDeque<>();
    private final List<Predictor> made = new ArrayList<>();
    /** Predictions share the read side; training and closing take the write side. */
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** What the model keeps of its training data; replaced by {@link #fit} under the write lock. */
    private DataInfo data;
    private boolean closed;

    private Model(ModelSpec spec, Backend backend, Sequential network, DataInfo data) {
        this.spec = spec;
        this.backend = backend;
        this.network = network;
        this.data = data;
    }

    /**
     * A new model with freshly initialized weights: the same seed gives the same weights on every device, as
     * PyTorch's default initialization draws them.
     */
    public static Model create(ModelSpec spec, Backend backend, long seed) {
        return new Model(spec, backend, spec.build(backend, seed), DataInfo.NONE);
    }

    /**
     * Loads a model saved with {@link #save} or a checkpoint of {@code cortado train} (its training state is
     * ignored) onto a backend. Layers of your own must be registered ({@link LayerTypes}) before.
     *
     * @throws CheckpointException when the file is missing, damaged or not a Cortado checkpoint, or its tensors
     *     do not fit its spec
     */
    public static Model load(Path file, Backend backend) throws CheckpointException {
        Checkpoint checkpoint = Checkpoint.read(file);
        Sequential network = checkpoint.spec().build(backend, 0);
        try {
            checkpoint.restoreModel(network);
        } catch (CheckpointException | RuntimeException e) {
            network.close();
            if (e instanceof CheckpointException ce) {
                throw new CheckpointException(file + ": " + ce.getMessage(), ce);
            }
            throw e;
        }
        return new Model(checkpoint.spec(), backend, network, checkpoint.data());
    }

    /**
     * Writes the spec, the weights and the {@link #dataInfo()} to a safetensors file, atomically: the format
     * {@code cortado train} writes (so {@code cortado eval} and {@code cortado predict} read it, and PyTorch loads
     * its weights), without training state.
     *
     * @throws IOException when the file cannot be written
     */
    public void save(Path file) throws IOException {
        lock.readLock().lock();
        try {
            requireOpen();
            Checkpoint.ofModel(spec, network, data).write(file);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Trains the model with the configuration's recipe (optimizer, learning rate and schedule, epochs, batch size;
     * its seed orders the batches), evaluating it on {@code validation} after each epoch. The loss and the metric
     * follow from the training data's targets: cross-entropy and accuracy for classes, mean squared error and mean
     * absolute error for regression values. Predictions wait while it trains. Afterwards the model keeps the
     * training data's class names and preprocessing ({@link #dataInfo()}).
     *
     * @param validation evaluated after every epoch, or null for none
     * @param listener told of every step and epoch
     * @return each epoch's result
     * @throws dev.cortado.train.PreflightException when the data does not fit the model or the device
     * @throws dev.cortado.train.NonFiniteLossException when the loss diverges
     */
    public List<EpochResult> fit(Dataset train, Dataset validation, TrainingConfig config,
                                 TrainingListener listener) {
        lock.writeLock().lock();
        try (TrainingRun run = TrainingRun.of(backend, spec, network, config, train, validation, null)) {
            requireOpen();
            data = DataInfo.of(train);
            return run.run(new TrainingRun.Listener() {
                @Override
                public void onStep(int epoch, int batch, int batchesPerEpoch, StepResult result,
                                   double imagesPerSecond) {
                    listener.onStep(epoch, batch, batchesPerEpoch, result, imagesPerSecond);
                }

                @Override
                public void onEpoch(EpochResult result) {
                    listener.onEpoch(result);
                }
            }, () -> false, 0).epochs();
        } catch (IOException e) {
            throw new UncheckedIOException("a run without checkpoints wrote a file", e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** {@link #fit(Dataset, Dataset, TrainingConfig, TrainingListener)} without a listener. */
    public List<EpochResult> fit(Dataset train, Dataset validation, TrainingConfig config) {
        return fit(train, validation, config, new TrainingListener() { });
    }

    /**
     * The model's mean loss and metric on a dataset in evaluation mode (accuracy and a confusion matrix for
     * classes, the mean absolute error for regression values).
     */
    public Evaluation evaluate(Dataset data) {
        lock.readLock().lock();
        try {
            requireOpen();
            Predictor predictor = borrow();
            try (Objective objective = Objective.forTargets(data.targets());
                 Evaluator evaluator = new Evaluator(backend, predictor.copy, objective, PREDICT_CHUNK)) {
                return evaluator.evaluate(data);
            } finally {
                idle.push(predictor);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The architecture. */
    public ModelSpec spec() {
        return spec;
    }

    /**
     * The class names and the preprocessing of the data the model was trained on ({@link DataInfo#NONE} for a new
     * model): the normalization its inputs need, and names for its outputs.
     */
    public DataInfo dataInfo() {
        lock.readLock().lock();
        try {
            return data;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The device the model lives on. */
    public Backend backend() {
        return backend;
    }

    /** The layers, for training loops and checkpoints; their weights are this model's. */
    public Sequential network() {
        return network;
    }

    /** The number of trainable values. */
    public long parameterCount() {
        return network.parameters().stream().mapToLong(p -> p.value().size()).sum();
    }

    /** One line: the name, the parameter count and the layers, e.g. for a log. */
    public String summary() {
        return spec.name() + " (" + String.format(Locale.ROOT, "%,d", parameterCount()) + " parameters): "
                + network.describe();
    }

    /** The shape of one input sample, e.g. {@code [1, 28, 28]}. */
    public Shape inputShape() {
        return spec.input();
    }

    /**
     * The model's outputs for one sample of {@link #inputShape()} (its values in row-major order), in evaluation
     * mode. Safe to call from many threads at once.
     *
     * @throws IllegalArgumentException when the sample has the wrong number of values
     */
    public Prediction predict(float[] sample) {
        return predictBatch(sample).get(0);
    }

    /**
     * The outputs for several samples stored back to back, in evaluation mode. Safe to call from many threads at
     * once.
     *
     * @throws IllegalArgumentException when the values are not a whole number (at least one) of samples
     */
    public List<Prediction> predictBatch(float[] samples) {
        int sampleSize = Math.toIntExact(spec.input().size());
        if (samples.length == 0 || samples.length % sampleSize != 0) {
            throw new IllegalArgumentException("predict: a sample of " + spec.input() + " has " + sampleSize
                    + " values; got " + samples.length + ", which is not a whole number of samples");
        }
        int count = samples.length / sampleSize;
        lock.readLock().lock();
        try {
            requireOpen();
            Predictor predictor = borrow();
            try {
                List<Prediction> all = new ArrayList<>(count);
                for (int start = 0; start < count; start += PREDICT_CHUNK) {
                    all.addAll(predictor.run(samples, start, Math.min(PREDICT_CHUNK, count - start)));
                }
                return all;
            } finally {
                idle.push(predictor);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The outputs for image files, each read as the images of an image folder are for training: decoded, made grey
     * or RGB and resized to {@link #inputShape()}, scaled to [0, 1] and normalized as {@link #dataInfo()} says
     * ({@link ImageFiles#inputs}). Safe to call from many threads at once.
     *
     * @throws DatasetException naming the first file that is not an image the JDK decodes
     * @throws IllegalArgumentException when the model's input is not an image, (1 or 3, height, width)
     */
    public List<Prediction> predictImages(List<Path> files) throws DatasetException {
        ImageFiles.checkShape(spec.input());
        if (files.isEmpty()) {
            return List.of();
        }
        return predictBatch(ImageFiles.inputs(files, spec.input(), dataInfo().preprocessing().normalization()));
    }

    private Predictor borrow() {
        Predictor predictor = idle.poll();
        if (predictor != null) {
            return predictor;
        }
        predictor = new Predictor(network.evaluationCopy());
        synchronized (made) {
            made.add(predictor);
        }
        return predictor;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("model " + spec.name() + " is closed");
        }
    }

    /** Releases the weights and every caller's activations (not the backend). */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            synchronized (made) {
                made.forEach(Predictor::close);
                made.clear();
            }
            idle.clear();
            network.close();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** One caller's activations: an evaluation copy of the network and its input tensor. */
    private final class Predictor implements AutoCloseable {
        private final Sequential copy;
        private final TensorSlot input = new TensorSlot();
        private float[] host = new float[0];

        Predictor(Sequential copy) {
            this.copy = copy;
        }

        List<Prediction> run(float[] samples, int start, int count) {
            int sampleSize = Math.toIntExact(spec.input().size());
            Shape shape = spec.input().prepend(count);
            Tensor x = input.get(backend, shape);
            backend.upload(samples, start * sampleSize, x);
            Tensor y = copy.forward(x, Mode.EVAL);
            int width = Math.toIntExact(y.shape().sizeAfterFirst());
            if (host.length != y.size()) {
                host = new float[Math.toIntExact(y.size())];
            }
            backend.download(y, host, 0);
            List<Prediction> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(new Prediction(Arrays.copyOfRange(host, i * width, (i + 1) * width)));
            }
            return out;
        }

        @Override
        public void close() {
            input.close();
            copy.close();
        }
    }
}
