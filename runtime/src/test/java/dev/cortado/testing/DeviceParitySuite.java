package dev.cortado.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.Backend;
import dev.cortado.data.ArrayDataset;
import dev.cortado.data.Dataset;
import dev.cortado.data.Targets;
import dev.cortado.device.Device;
import dev.cortado.device.Devices;
import dev.cortado.io.HostTensor;
import dev.cortado.io.Safetensors;
import dev.cortado.model.ModelSpec;
import dev.cortado.nn.Parameter;
import dev.cortado.tensor.Shape;
import dev.cortado.train.EpochResult;
import dev.cortado.train.StepResult;
import dev.cortado.train.TrainingConfig;
import dev.cortado.train.TrainingConfig.OptimizerKind;
import dev.cortado.train.TrainingConfig.ScheduleKind;
import dev.cortado.train.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Device parity: the same model, seed and batches trained for {@value #STEPS} steps on the CPU and on the device
 * under test give the same loss at every step, and the same test loss after them, within {@value #TOLERANCE}
 * relative (of {@code max(1, |loss|)}), and the same weights after every step within {@value #WEIGHT_TOLERANCE}
 * of each tensor's largest value. Each model prints its largest differences as
 * {@code PARITY <model> on <device>: ...}.
 *
 * <p>The two runs go in lockstep, and after each step the device's weights are set to the CPU's: the devices sum
 * in different orders, and where a model learns fastest a run amplifies such rounding differences step after step
 * (LeNet-5 here: 1e-7 until step 39, 5e-6 at step 42, 1e-3 at step 48), so free-running runs would compare how
 * chaotic the training is rather than whether each step on the device computes what the CPU computes.
 */
public abstract class DeviceParitySuite extends BackendSuiteSupport {
    /** Optimizer steps compared per model. */
    public static final int STEPS = 50;
    /** The largest relative difference accepted between the CPU's loss and the device's. */
    public static final double TOLERANCE = 2e-3;
    /** The largest difference accepted between final weights, relative to the largest value of the tensor. */
    public static final double WEIGHT_TOLERANCE = 1e-3;
    private static final int BATCH = 32;
    private static final int TEST_SAMPLES = 100;

    @TempDir
    Path dir;

    /**
     * Noise images whose label is the brighter pair of rows (rows 2L and 2L+1 for label L), so the models learn
     * quickly: no data files needed, the same on every machine.
     */
    private static ArrayDataset data(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] inputs = new float[count * 28 * 28];
        float[] labels = new float[count];
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(10);
            labels[i] = label;
            for (int p = 0; p < 28 * 28; p++) {
                boolean bright = p / 28 / 2 == label;
                inputs[i * 28 * 28 + p] = (float) (0.3 * random.nextDouble() + (bright ? 1 : 0));
            }
        }
        return new ArrayDataset(inputs, labels, count, Shape.of(1, 28, 28), Targets.classes(10));
    }

    /** One run's losses: every step's, then the test loss. */
    private record Run(TrainingRun training, List<Double> losses) {
    }

    private static Run start(Backend backend, ModelSpec spec, Path out) throws Exception {
        TrainingConfig config = new TrainingConfig(OptimizerKind.SGD, 0.02f, 0.9f, 0f, false, ScheduleKind.CONSTANT,
                1, 1, BATCH, 20261129L, 0, 0);
        return new Run(TrainingRun.start(backend, spec, config, data(STEPS * BATCH, 1), data(TEST_SAMPLES, 2), out),
                new ArrayList<>());
    }

    /**
     * Trains both runs, each on a thread of its own, meeting after every step: the device's run then compares its
     * weights with the CPU's and takes the CPU's before either goes on. Fails on the worst difference.
     */
    private void trainInLockstep(String model, Run cpu, Run device) throws Exception {
        CyclicBarrier stepped = new CyclicBarrier(2);
        CyclicBarrier synced = new CyclicBarrier(2);
        double[] worst = {0};
        String[] worstName = {""};
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Void> cpuDone = threads.submit(() -> train(cpu, () -> {
                meet(stepped);
                meet(synced);
            }));
            Future<Void> deviceDone = threads.submit(() -> train(device, () -> {
                meet(stepped);
                List<Parameter> reference = cpu.training().model().parameters();
                List<Parameter> own = device.training().model().parameters();
                for (int i = 0; i < own.size(); i++) {
                    float[] expected = reference.get(i).value().toArray();
                    double difference = relativeDifference(expected, own.get(i).value().toArray());
                    if (!(difference <= worst[0])) {
                        worst[0] = difference;
                        worstName[0] = own.get(i).name();
                    }
                    backend().upload(expected, 0, own.get(i).value());
                }
                meet(synced);
            }));
            cpuDone.get();
            deviceDone.get();
        } finally {
            threads.shutdownNow();
        }
        System.out.printf(Locale.ROOT, "PARITY %s on %s: weights after a step differ by at most %.2e of a tensor's "
                + "largest value (%s; tolerance %.0e)%n", model, device(), worst[0], worstName[0], WEIGHT_TOLERANCE);
        assertTrue(worst[0] <= WEIGHT_TOLERANCE, model + " on " + device() + ": " + worstName[0] + " differs by "
                + worst[0] + " of its largest value after a step");
    }

    private static Void train(Run run, Runnable afterEachStep) throws Exception {
        TrainingRun.Result result = run.training().run(new TrainingRun.Listener() {
            @Override
            public void onStep(int epoch, int batch, int perEpoch, StepResult r, double imagesPerSecond) {
                run.losses().add((double) r.loss());
                afterEachStep.run();
            }
        }, () -> false, 0);
        EpochResult epoch = result.epochs().get(0);
        run.losses().add(epoch.test().loss());
        return null;
    }

    /** Waits for the other run; a minute without it fails the test rather than hanging it. */
    private static void meet(CyclicBarrier barrier) {
        try {
            barrier.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the other run", e);
        } catch (BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException("the other run did not reach its step: " + e, e);
        }
    }

    private static double relativeDifference(float[] expected, float[] actual) {
        double scale = Double.MIN_NORMAL;
        double difference = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            difference = Math.max(difference, Math.abs(expected[i] - actual[i]));
        }
        return difference / scale;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet5"})
    void lossesMatchTheCpuAtEveryStep(String model) throws Exception {
        ModelSpec spec = ModelSpec.builtIn(model);
        List<Double> device;
        List<Double> cpu;
        try (Backend reference = Devices.system().open(Device.CPU)) {
            Run cpuRun = start(reference, spec, dir.resolve("cpu"));
            Run deviceRun = start(backend(), spec, dir.resolve("device"));
            try (TrainingRun a = cpuRun.training(); TrainingRun b = deviceRun.training()) {
                trainInLockstep(model, cpuRun, deviceRun);
            }
            cpu = cpuRun.losses();
            device = deviceRun.losses();
        }
        assertEquals(STEPS + 1, device.size());
        double worst = 0;
        int worstAt = 0;
        for (int i = 0; i < cpu.size(); i++) {
            double difference = Math.abs(cpu.get(i) - device.get(i)) / Math.max(1, Math.abs(cpu.get(i)));
            if (!(difference <= worst)) {
                worst = difference;
                worstAt = i;
            }
        }
        String where = worstAt == STEPS ? "the test loss" : "step " + worstAt;
        System.out.printf(Locale.ROOT, "PARITY %s on %s: %d steps, largest relative loss difference %.2e at %s "
                + "(cpu %.6f, device %.6f; tolerance %.0e)%n", model, device(), STEPS, worst, where,
                cpu.get(worstAt), device.get(worstAt), TOLERANCE);
        assertTrue(worst <= TOLERANCE, model + " on " + device() + ": the losses differ by " + worst + " (relative) at "
                + where + ": cpu " + cpu + ", device " + device);
        double first = cpu.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = cpu.subList(STEPS - 5, STEPS).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(last < 0.9 * first, "the model did not learn, so equal losses would prove little: " + cpu);
        assertSameWeights(model, dir.resolve("cpu"), dir.resolve("device"));
    }

    /** Compares the tensors of the two runs' final checkpoints, the optimizer's momentum included. */
    private void assertSameWeights(String model, Path cpuRun, Path deviceRun) throws Exception {
        Map<String, HostTensor> cpu = Safetensors.read(cpuRun.resolve(TrainingRun.LAST_CHECKPOINT)).tensors();
        Map<String, HostTensor> device = Safetensors.read(deviceRun.resolve(TrainingRun.LAST_CHECKPOINT)).tensors();
        assertEquals(cpu.keySet(), device.keySet());
        double worst = 0;
        String worstName = "";
        for (String name : cpu.keySet()) {
            double difference = relativeDifference(cpu.get(name).data(), device.get(name).data());
            if (!(difference <= worst)) {
                worst = difference;
                worstName = name;
            }
        }
        System.out.printf(Locale.ROOT, "PARITY %s on %s: final weights differ by at most %.2e of a tensor's largest "
                + "value (%s; tolerance %.0e)%n", model, device(), worst, worstName, WEIGHT_TOLERANCE);
        assertTrue(worst <= WEIGHT_TOLERANCE, model + " on " + device() + ": " + worstName + " differs by " + worst
                + " of its largest value after " + STEPS + " steps");
    }
}
