package dev.cortado.examples;

import static dev.cortado.model.LayerSpec.linear;
import static dev.cortado.model.LayerSpec.tanh;

import dev.cortado.Model;
import dev.cortado.backend.Backend;
import dev.cortado.data.ArrayDataset;
import dev.cortado.device.Devices;
import dev.cortado.model.ModelSpec;
import dev.cortado.tensor.Shape;
import dev.cortado.train.Evaluation;
import dev.cortado.train.TrainingConfig;
import java.util.Random;

/**
 * Regression with two outputs on data held in memory: an MLP learns {@code (sin(pi x) + y^2, x * y)} from points
 * of the square {@code [-1, 1]^2}, with the mean squared error as its loss and the mean absolute error reported.
 */
public final class InMemoryRegression {
    private InMemoryRegression() {
    }

    public static void main(String[] args) {
        try (Backend device = args.length > 0 ? Devices.open(args[0]) : Devices.openBest()) {
            Evaluation result = train(device);
            System.out.printf("test mean absolute error %.4f (the targets span about 2)%n", result.metric());
        }
    }

    /** Trains for 30 epochs; the held-out points' evaluation. */
    static Evaluation train(Backend device) {
        Random random = new Random(3);
        ArrayDataset train = points(4000, random);
        ArrayDataset test = points(500, random);
        ModelSpec spec = ModelSpec.of("two-functions", Shape.of(2), linear(64), tanh(), linear(64), tanh(),
                linear(2));
        try (Model model = Model.create(spec, device, 11)) {
            Evaluation before = model.evaluate(test);
            model.fit(train, null, TrainingConfig.builder().adam(3e-3f).epochs(30).batchSize(64).build());
            Evaluation after = model.evaluate(test);
            System.out.printf("mean absolute error %.4f before training, %.4f after%n", before.metric(),
                    after.metric());
            return after;
        }
    }

    private static ArrayDataset points(int count, Random random) {
        float[] inputs = new float[2 * count];
        float[] targets = new float[2 * count];
        for (int i = 0; i < count; i++) {
            float x = 2 * random.nextFloat() - 1;
            float y = 2 * random.nextFloat() - 1;
            inputs[2 * i] = x;
            inputs[2 * i + 1] = y;
            targets[2 * i] = (float) Math.sin(Math.PI * x) + y * y;
            targets[2 * i + 1] = x * y;
        }
        return ArrayDataset.regression(inputs, targets, Shape.of(2), Shape.of(2));
    }
}
