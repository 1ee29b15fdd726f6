package dev.cortado.train;

import dev.cortado.backend.Backend;
import dev.cortado.data.ArrayDataset;
import dev.cortado.data.Dataset;
import dev.cortado.model.ModelSpec;
import dev.cortado.nn.Sequential;
import dev.cortado.optim.Optimizer;
import dev.cortado.random.Philox;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Measures training and inference throughput of a model on one backend, in images per second, the way the
 * {@code bench} command and the benchmarks report it: on synthetic data of the model's input shape (pixels
 * uniform in [0, 1), random labels), with warm-up repetitions that are not counted and several measured ones.
 * Training is SGD with momentum 0.9 over shuffled batches, exactly as in a real run; inference is an evaluation
 * pass. Each repetition times its own pass over the data.
 *
 * <p>The warm-up runs for a number of repetitions and, beyond them, for a minimum time: on the CPU the JIT keeps
 * compiling the step's loops for seconds, and repetitions counted before it is done measure the compiler. On 2 cores
 * of an AMD EPYC, the MLP's and LeNet-5's repetitions of 30 batches reached their plateau after 2 to 3 seconds
 * (20 to 30 repetitions); the MLP's then ran about twice as fast as after 2 repetitions.
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
     * @param warmups fewest repetitions run first and not counted (JIT compilation, buffer pool)
     * @param warmupTime least time the warm-up runs for: after {@code warmups} repetitions it goes on, a repetition
     *     at a time, until this much time has passed since it began
     * @param repetitions counted repetitions
     * @param seed fixes the synthetic data and the initial weights
     */
    public record Settings(int batchSize, int batches, int warmups, Duration warmupTime, int repetitions, long seed) {
        /**
         * Checks the settings.
         *
         * @throws IllegalArgumentException if a count is out of range or the warm-up time is negative
         * @throws NullPointerException if the warm-up time is null
         */
        public Settings {
            Objects.requireNonNull(warmupTime, "warmupTime");
            if (batchSize < 1 || batches < 1 || warmups < 0 || repetitions < 1 || warmupTime.isNegative()) {
                throw new IllegalArgumentException("throughput needs batch size, batches and repetitions >= 1 and"
                        + " warm-ups >= 0 for >= 0 s, got " + batchSize + ", " + batches + ", " + repetitions + ", "
                        + warmups + " for " + warmupTime);
            }
        }

        /** Settings whose warm-up is {@code warmups} repetitions, however short they are. */
        public Settings(int batchSize, int batches, int warmups, int repetitions, long seed) {
            this(batchSize, batches, warmups, Duration.ZERO, repetitions, seed);
        }
    }

    /**
     * What was measured for one model.
     *
     * @param model the model's name
     * @param settings how it was measured
     * @param warmups warm-up repetitions run: at least the settings' count, more where their time asked for more
     * @param training images per second of each counted training repetition, in run order
     * @param inference images per second of each counted inference repetition, in run order
     */
    public record Measurement(String model, Settings settings, int warmups, double[] training, double[] inference) {

        /** The median of the training repetitions' images per second. */
        public double trainingMedian() {
            return median(training);
        }

        /** The median of the inference repetitions' images per second. */
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
        double[] training = new double[settings.repetitions()];
        double[] inference = new double[settings.repetitions()];
        int warmups = 0;
        try (Sequential model = spec.build(backend, settings.seed());
             Objective objective = Objective.forTargets(data.targets());
             Optimizer sgd = TrainingConfig.defaults().newOptimizer(model.parameters());
             Trainer trainer = new Trainer(backend, model, objective, sgd,
                     TrainingConfig.defaults().newSchedule(settings.batches()), settings.batchSize(),
                     settings.seed())) {
            long warmupStart = System.nanoTime();
            while (warmups < settings.warmups()
                    || System.nanoTime() - warmupStart < settings.warmupTime().toNanos()) {
                repeat(trainer, data, warmups);
                warmups++;
            }
            for (int rep = 0; rep < settings.repetitions(); rep++) {
                Rates rates = repeat(trainer, data, warmups + rep);
                training[rep] = rates.training();
                inference[rep] = rates.inference();
            }
        }
        return new Measurement(spec.name(), settings, warmups, training, inference);
    }

    /** Images per second of one repetition's training epoch and evaluation pass. */
    private record Rates(double training, double inference) {
    }

    /** Runs repetition {@code epoch}: a training epoch over the data, then an evaluation pass. */
    private static Rates repeat(Trainer trainer, Dataset data, int epoch) {
        EpochResult result = trainer.trainEpoch(data, epoch, 0, null, new TrainingListener() { }, () -> false);
        long start = System.nanoTime();
        trainer.evaluate(data);
        double inferenceSeconds = (System.nanoTime() - start) / 1e9;
        return new Rates(result.imagesPerSecond(), data.count() / inferenceSeconds);
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
