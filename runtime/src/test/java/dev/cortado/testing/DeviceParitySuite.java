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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Device parity: the same model, seed and batches trained for {@value #STEPS} steps on the CPU and on the device
 * under test give the same loss at every step, and the same test loss after them, within {@value #TOLERANCE}
 * relative (of {@code max(1, |loss|)}), and final weights within {@value #WEIGHT_TOLERANCE} of each tensor's
 * largest value. The two devices sum in different orders, so the runs drift apart a little with every step; on
 * PoCL the largest loss difference after 50 steps is below 1e-5. Each model prints its largest differences as
 * {@code PARITY <model> on <device>: ...}.
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

    /** The losses of every step, then the test loss, of one run on {@code backend}. */
    private List<Double> losses(Backend backend, ModelSpec spec, Path out) throws Exception {
        TrainingConfig config = new TrainingConfig(OptimizerKind.SGD, 0.02f, 0.9f, 0f, false, ScheduleKind.CONSTANT,
                1, 1, BATCH, 20261129L, 0, 0);
        List<Double> losses = new ArrayList<>();
        try (TrainingRun run = TrainingRun.start(backend, spec, config, data(STEPS * BATCH, 1), data(TEST_SAMPLES, 2),
                out)) {
            TrainingRun.Result result = run.run(new TrainingRun.Listener() {
                @Override
                public void onStep(int epoch, int batch, int perEpoch, StepResult r, double imagesPerSecond) {
                    losses.add((double) r.loss());
                }
            }, () -> false, 0);
            EpochResult epoch = result.epochs().get(0);
            losses.add(epoch.test().loss());
        }
        return losses;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet5"})
    void lossesMatchTheCpuAtEveryStep(String model) throws Exception {
        ModelSpec spec = ModelSpec.builtIn(model);
        List<Double> device = losses(backend(), spec, dir.resolve("device"));
        List<Double> cpu;
        try (Backend reference = Devices.system().open(Device.CPU)) {
            cpu = losses(reference, spec, dir.resolve("cpu"));
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

    /** Compares the model tensors of the two runs' final checkpoints. */
    private void assertSameWeights(String model, Path cpuRun, Path deviceRun) throws Exception {
        Map<String, HostTensor> cpu = Safetensors.read(cpuRun.resolve(TrainingRun.LAST_CHECKPOINT)).tensors();
        Map<String, HostTensor> device = Safetensors.read(deviceRun.resolve(TrainingRun.LAST_CHECKPOINT)).tensors();
        assertEquals(cpu.keySet(), device.keySet());
        double worst = 0;
        String worstName = "";
        for (String name : cpu.keySet()) {
            float[] a = cpu.get(name).data();
            float[] b = device.get(name).data();
            double scale = Double.MIN_NORMAL;
            double difference = 0;
            for (int i = 0; i < a.length; i++) {
                scale = Math.max(scale, Math.abs(a[i]));
                difference = Math.max(difference, Math.abs(a[i] - b[i]));
            }
            if (!(difference / scale <= worst)) {
                worst = difference / scale;
                worstName = name;
            }
        }
        System.out.printf(Locale.ROOT, "PARITY %s on %s: final weights differ by at most %.2e of a tensor's largest "
                + "value (%s; tolerance %.0e)%n", model, device(), worst, worstName, WEIGHT_TOLERANCE);
        assertTrue(worst <= WEIGHT_TOLERANCE, model + " on " + device() + ": " + worstName + " differs by " + worst
                + " of its largest value after " + STEPS + " steps");
    }
}
