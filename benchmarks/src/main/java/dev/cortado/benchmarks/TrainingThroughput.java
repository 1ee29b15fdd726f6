package dev.cortado.benchmarks;

import dev.cortado.backend.Backend;
import dev.cortado.device.DeviceSelection;
import dev.cortado.device.Devices;
import dev.cortado.model.ModelSpec;
import dev.cortado.train.Throughput;

/**
 * Training and inference images/s of LeNet-5 and the MLP at batch 64, the same measurement as
 * {@code cortado bench}, as a plain main for scripts:
 * {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar dev.cortado.benchmarks.TrainingThroughput
 * [device]}.
 */
public final class TrainingThroughput {
    private TrainingThroughput() {
    }

    public static void main(String[] args) {
        DeviceSelection selection = Devices.system().select(args.length > 0 ? args[0] : "cpu");
        Throughput.Settings settings = new Throughput.Settings(64, 60, 2, 5, 1);
        try (Backend backend = Devices.system().open(selection.device())) {
            System.out.println("device: " + selection.device() + " (" + selection.info().name() + ")");
            for (String model : new String[] {"lenet5", "mlp"}) {
                Throughput.Measurement m = Throughput.measure(backend, ModelSpec.builtIn(model), settings);
                System.out.printf("%-7s train %,8.0f images/s   inference %,8.0f images/s%n", model,
                        m.trainingMedian(), m.inferenceMedian());
            }
        }
    }
}
