package dev.cortado.examples;

import static dev.cortado.model.LayerSpec.linear;
import static dev.cortado.model.LayerSpec.relu;

import dev.cortado.Model;
import dev.cortado.backend.Backend;
import dev.cortado.data.ArrayDataset;
import dev.cortado.device.Devices;
import dev.cortado.model.ModelSpec;
import dev.cortado.tensor.Shape;
import dev.cortado.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A layer of one's own ({@link LearnedScale}) used in a model written in code, trained, saved and loaded back:
 * the saved spec names it as {@code learned_scale}, and loading finds its type through {@link java.util.ServiceLoader}.
 */
public final class CustomLayer {
    private CustomLayer() {
    }

    public static void main(String[] args) throws Exception {
        try (Backend device = args.length > 0 ? Devices.open(args[0]) : Devices.openBest()) {
            System.out.printf("after loading, outputs differ by at most %g%n", run(device));
        }
    }

    /** Trains, saves and loads; returns the largest difference between the two models' outputs for one sample. */
    static float run(Backend device) throws Exception {
        Random random = new Random(9);
        float[] inputs = new float[600 * 4];
        float[] labels = new float[600];
        for (int i = 0; i < labels.length; i++) {
            for (int f = 0; f < 4; f++) {
                inputs[4 * i + f] = 2 * random.nextFloat() - 1;
            }
            labels[i] = inputs[4 * i] + 0.5f * inputs[4 * i + 3] > 0 ? 1 : 0;
        }
        ArrayDataset data = ArrayDataset.classification(inputs, labels, Shape.of(4), 2);
        ModelSpec spec = ModelSpec.of("scaled", Shape.of(4), new LearnedScaleSpec(), linear(8), relu(), linear(2));
        Path file = Files.createTempFile("scaled", ".safetensors");
        float[] sample = {0.3f, -0.2f, 0.9f, -0.5f};
        try (Model model = Model.create(spec, device, 2)) {
            model.fit(data, null, TrainingConfig.builder().epochs(3).batchSize(20).build());
            float[] trained = model.predict(sample).outputs();
            model.save(file);
            try (Model loaded = Model.load(file, device)) {
                System.out.println("loaded: " + loaded.summary());
                float[] again = loaded.predict(sample).outputs();
                float worst = 0;
                for (int i = 0; i < trained.length; i++) {
                    worst = Math.max(worst, Math.abs(trained[i] - again[i]));
                }
                return worst;
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
