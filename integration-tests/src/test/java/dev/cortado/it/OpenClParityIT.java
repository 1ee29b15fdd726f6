package dev.cortado.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cortado.backend.Backend;
import dev.cortado.data.Dataset;
import dev.cortado.data.Split;
import dev.cortado.device.Device;
import dev.cortado.device.DeviceInfo;
import dev.cortado.device.Devices;
import dev.cortado.model.ModelSpec;
import dev.cortado.nn.Parameter;
import dev.cortado.nn.Sequential;
import dev.cortado.nn.loss.SoftmaxCrossEntropyLoss;
import dev.cortado.optim.LrSchedule;
import dev.cortado.optim.Sgd;
import dev.cortado.train.StepResult;
import dev.cortado.train.Trainer;
import dev.cortado.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Device parity: LeNet-5 with the same seed and the same 50 batches on the CPU and on {@code opencl:0} gives the
 * same loss at every step and the same final weights, within float32 rounding that grows slowly over the steps.
 */
class OpenClParityIT {
    private static final Device OPENCL = Device.parse("opencl:0");
    private static final int STEPS = 50;
    private static final int BATCH = 64;
    /** Largest allowed |loss_cpu - loss_opencl| / loss_cpu at any step. */
    private static final double LOSS_TOLERANCE = 1e-3;
    /** Largest allowed weight difference, relative to the largest weight of the same tensor. */
    private static final double WEIGHT_TOLERANCE = 1e-3;

    /** What one device computed: the loss of every step and the final parameters. */
    private record Run(List<Float> losses, List<float[]> weights, List<String> names) {
    }

    @Test
    void lenet5TrainsAlikeOnCpuAndOpenCl() throws Exception {
        DeviceInfo info = Devices.system().list().stream().filter(i -> i.device().equals(OPENCL)).findFirst()
                .orElse(null);
        String reason = info == null ? "no OpenCL backend on the class path" : info.reason();
        if (reason != null) {
            System.out.println("SKIPPED OpenClParityIT: " + OPENCL + " unavailable: " + reason);
        }
        assumeTrue(reason == null, () -> OPENCL + " unavailable: " + reason);
        Dataset data = FashionMnistData.load(Split.TRAIN).first(STEPS * BATCH);

        Run cpu = train(Device.CPU, data);
        Run opencl = train(OPENCL, data);

        for (int step = 0; step < STEPS; step++) {
            float expected = cpu.losses().get(step);
            float actual = opencl.losses().get(step);
            double relative = Math.abs(actual - expected) / Math.abs(expected);
            int at = step;
            assertTrue(relative <= LOSS_TOLERANCE, () -> "step " + at + ": loss " + actual + " on " + OPENCL
                    + ", " + expected + " on cpu (relative difference " + relative + ")");
        }
        for (int i = 0; i < cpu.weights().size(); i++) {
            float[] a = cpu.weights().get(i);
            float[] b = opencl.weights().get(i);
            assertEquals(a.length, b.length);
            double scale = 0;
            double worst = 0;
            for (int j = 0; j < a.length; j++) {
                scale = Math.max(scale, Math.abs(a[j]));
                worst = Math.max(worst, Math.abs(a[j] - b[j]));
            }
            double relative = worst / scale;
            String name = cpu.names().get(i);
            assertTrue(relative <= WEIGHT_TOLERANCE, () -> name + " differs by " + relative
                    + " of its largest value after " + STEPS + " steps");
        }
    }

    private static Run train(Device device, Dataset data) {
        List<Float> losses = new ArrayList<>();
        try (Backend backend = Devices.system().open(device);
             Sequential model = ModelSpec.builtIn("lenet5").build(backend, 7);
             SoftmaxCrossEntropyLoss loss = new SoftmaxCrossEntropyLoss();
             Sgd sgd = new Sgd(model.parameters(), 0.9f, 0f, false);
             Trainer trainer = new Trainer(backend, model, loss, sgd, new LrSchedule.Constant(0.01f), BATCH, 7)) {
            trainer.trainEpoch(data, 0, 0, null, new TrainingListener() {
                @Override
                public void onStep(int epoch, int batch, int batches, StepResult result, double imagesPerSecond) {
                    losses.add(result.loss());
                }
            }, () -> false);
            List<float[]> weights = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Parameter p : model.parameters()) {
                weights.add(p.value().toArray());
                names.add(p.name());
            }
            return new Run(losses, weights, names);
        }
    }
}
