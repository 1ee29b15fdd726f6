package dev.cortado.benchmarks;

import dev.cortado.cpu.CpuBackend;
import dev.cortado.cpu.Parallel;
import dev.cortado.data.Dataset;
import dev.cortado.data.DatasetException;
import dev.cortado.data.MnistDataset;
import dev.cortado.data.Split;
import dev.cortado.model.ModelSpec;
import dev.cortado.nn.Sequential;
import dev.cortado.optim.Optimizer;
import dev.cortado.train.Objective;
import dev.cortado.train.Throughput;
import dev.cortado.train.Trainer;
import dev.cortado.train.TrainingConfig;
import dev.cortado.train.TrainingListener;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a training step's and an inference batch's time goes on the CPU backend, per layer and per op. The model
 * first trains and evaluates on a plain {@link CpuBackend} ({@link Throughput#measure}, synthetic data), which gives
 * the true times; then it trains and evaluates again, on the first batches of Fashion-MNIST, on a
 * {@link TimedCpuBackend}, which times every op and names it by the layer that called it. Prints two tables per
 * model, training and inference: the ops of the timed epochs by total time per batch, and what the ops leave of the
 * true time (the layers' own Java, waiting for the batch loader, and so on).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     dev.cortado.benchmarks.OpProfile [lenet5,mlp] [batches per epoch] [batch size]
 * </pre>
 */
public final class OpProfile {
    private static final int WARMUPS = 3;
    private static final int EPOCHS = 5;
    private static final long SEED = 42;
    /** Where Debian's dataset-fashion-mnist package puts the data; -Dcortado.data=DIR names another place. */
    private static final Path DATA = Path.of(System.getProperty("cortado.data", "/usr/share/datasets/fashion-mnist"));

    private OpProfile() {
    }

    public static void main(String[] args) throws DatasetException {
        String[] models = (args.length > 0 ? args[0] : "lenet5,mlp").split(",");
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        for (String name : models) {
            ModelSpec spec = ModelSpec.builtIn(name.trim());
            Throughput.Measurement measured;
            try (CpuBackend cpu = new CpuBackend()) {
                measured = Throughput.measure(cpu, spec,
                        new Throughput.Settings(batchSize, batches, WARMUPS, EPOCHS, SEED));
            }
            Profiles profiles = timeOps(spec, batchSize, batches);
            print(spec, batchSize, "training", measured.trainingMedian(), profiles.training());
            print(spec, batchSize, "inference", measured.inferenceMedian(), profiles.inference());
        }
    }

    /** Op totals per batch of the timed training epochs and of the timed evaluations. */
    private record Profiles(List<TimedCpuBackend.OpTime> training, List<TimedCpuBackend.OpTime> inference) {
    }

    /**
     * Trains on a timed backend, then evaluates the trained model as many times; returns the op totals of the
     * rounds after the warm-ups, per batch.
     */
    private static Profiles timeOps(ModelSpec spec, int batchSize, int batches) throws DatasetException {
        Dataset data = MnistDataset.load(DATA, Split.TRAIN).first(batchSize * batches);
        try (TimedCpuBackend timed = new TimedCpuBackend()) {
            TrainingConfig config = TrainingConfig.defaults();
            try (Sequential model = spec.build(timed, SEED);
                 Objective objective = Objective.forTargets(data.targets());
                 Optimizer sgd = config.newOptimizer(model.parameters());
                 Trainer trainer = new Trainer(timed, model, objective, sgd, config.newSchedule(batches), batchSize,
                         SEED)) {
                for (int epoch = 0; epoch < WARMUPS + EPOCHS; epoch++) {
                    timed.enabled = epoch >= WARMUPS;
                    trainer.trainEpoch(data, epoch, 0, null, new TrainingListener() { }, () -> false);
                }
                List<TimedCpuBackend.OpTime> training = timed.perStep((double) EPOCHS * batches);
                timed.reset();
                for (int round = 0; round < WARMUPS + EPOCHS; round++) {
                    timed.enabled = round >= WARMUPS;
                    trainer.evaluate(data);
                }
                return new Profiles(training, timed.perStep((double) EPOCHS * batches));
            }
        }
    }

    private static void print(ModelSpec spec, int batchSize, String what, double imagesPerSecond,
            List<TimedCpuBackend.OpTime> ops) {
        double stepMicros = 1e6 * batchSize / imagesPerSecond;
        System.out.printf("%s, batch %d: %.0f %s images/s, %.1f us per batch (%d threads, load %.1f)%n",
                spec.name(), batchSize, imagesPerSecond, what, stepMicros, Parallel.threads(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("%-34s %-36s %9s %7s %9s%n", "caller", "op", "us/batch", "share", "cpu us");
        double explained = 0;
        for (TimedCpuBackend.OpTime op : ops) {
            explained += op.wallMicros();
            System.out.printf("%-34s %-36s %9.1f %6.1f%% %9.1f%n", op.caller(), op.op(), op.wallMicros(),
                    100 * op.wallMicros() / stepMicros, op.cpuMicros());
        }
        System.out.printf("%-34s %-36s %9.1f %6.1f%%%n%n", "(rest of the batch)", "", stepMicros - explained,
                100 * (stepMicros - explained) / stepMicros);
    }
}
