package dev.cortado.train;

import dev.cortado.backend.Backend;
import dev.cortado.data.ArrayDataset;
import dev.cortado.data.Dataset;
import dev.cortado.model.ModelSpec;
import dev.cortado.nn.Sequential;
import dev.cortado.optim.Optimizer;
import dev.cortado.random.Philox;
import java.util.Arrays;

/**
 * Measures training and inference throughput of a model on one backend, in images per second, the way the
 * {@code bench} command and the benchmarks report it: on synthetic data of the model's input shape (pixels
 * uniform in [0, 1), random labels), with warm-up repetitions that are not counted and several measured ones.
 * Training is SGD with momentum 0.9 over shuffled batches, exactly as in a real run; inference is an evaluation
 * pass. Each repetition times its own pass over the data.
 */
public final class Throughput {
    private static final long DATA_STREAM = 7;

    private Throughput() {
    }

    /**
     * The settings of a measurement.
     *
     * @param batchSize samples per step
     * @param batches batches per repetition
     * @param warmups repetitions run first and not counted (JIT compilation, buffer pool)
     * @param repetitions counted repetitions
     * @param seed fixes the synthetic data and the initial weights
     */
    public record Settings(int batchSize, int batches, int warmups, int repetitions, long seed) {
        public Settings {
            if (batchSize < 1 || batches < 1 || warmups < 0 || repetitions < 1) {
                throw new IllegalArgumentException("throughput needs batch size, batches and repetitions >= 1 and"
                        + " warm-ups >= 0, got " + batchSize + ", " + batches + ", " + repetitions + ", " + warmups);
            }
        }
    }

    /**
     * What was measured for one model.
     *
     * @param model the model's name
     * @param settings how it was measured
     * @param training images per second of each counted training repetition, in run order
     * @param inference images per second of each counted inference repetition, in run order
     */
    public record Measurement(String model, Settings settings, double[] training, double[] inference) {

        public double trainingMedian() {
            return median(training);
        }

        public double inferenceMedian() {
            return median(inference);
        }
    }

    /** The median of the values (the mean of the middle two for an even count). */
    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** Builds the model on the backend and measures it. */
    public static Measurement measure(Backend backend, ModelSpec spec, Settings settings) {
        Dataset data = syntheticData(spec, settings.batchSize() * settings.batches(), settings.seed());
        int total = settings.warmups() + settings.repetitions();
        double[] training = new double[settings.repetitions()];
        double[] inference = new double[settings.repetitions()];
        try (Sequential model = spec.build(backend, settings.seed());
             Objective objective = Objective.forTargets(data.targets());
             Optimizer sgd = TrainingConfig.defaults().newOptimizer(model.parameters());
             Trainer trainer = new Trainer(backend, model, objective, sgd,
                     TrainingConfig.defaults().newSchedule(settings.batches()), settings.batchSize(),
                     settings.seed())) {
            for (int rep = 0; rep < total; rep++) {
                EpochResult epoch = trainer.trainEpoch(data, rep, 0, null, new TrainingListener() { }, () -> false);
                long start = System.nanoTime();
                trainer.evaluate(data);
                double inferenceSeconds = (System.nanoTime() - start) / 1e9;
                if (rep >= settings.warmups()) {
                    training[rep - settings.warmups()] = epoch.imagesPerSecond();
                    inference[rep - settings.warmups()] = data.count() / inferenceSeconds;
                }
            }
        }
        return new Measurement(spec.name(), settings, training, inference);
    }

    /** {@code count} samples of the model's input shape with pixels in [0, 1) and labels over its outputs. */
    static Dataset syntheticData(ModelSpec spec, int count, long seed) {
        int classes = spec.outputShape(1).dim(1);
        float[] inputs = new float[Math.toIntExact(count * spec.input().size())];
        Philox.fillUniform(inputs, seed, DATA_STREAM, 0f, 1f);
        float[] labels = new float[count];
        Philox.fillUniform(labels, seed, DATA_STREAM + 1, 0f, classes);
        for (int i = 0; i < count; i++) {
            labels[i] = Math.min(classes - 1, (float) Math.floor(labels[i]));
        }
        return ArrayDataset.classification(inputs, labels, spec.input(), classes);
    }
}
