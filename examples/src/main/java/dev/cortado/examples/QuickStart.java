package dev.cortado.examples;

import static dev.cortado.model.LayerSpec.conv2d;
import static dev.cortado.model.LayerSpec.flatten;
import static dev.cortado.model.LayerSpec.linear;
import static dev.cortado.model.LayerSpec.maxPool2d;
import static dev.cortado.model.LayerSpec.relu;

import dev.cortado.Model;
import dev.cortado.Prediction;
import dev.cortado.backend.Backend;
import dev.cortado.data.ArrayDataset;
import dev.cortado.device.Devices;
import dev.cortado.model.ModelSpec;
import dev.cortado.tensor.Shape;
import dev.cortado.train.EpochResult;
import dev.cortado.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** A small CNN trained on images held in memory, saved, loaded back and asked for a prediction. */
public final class QuickStart {
    public static void main(String[] args) throws Exception {
        Random random = new Random(7);
        ArrayDataset train = images(2000, random);
        ArrayDataset test = images(500, random);
        ModelSpec spec = ModelSpec.of("square-up-or-down", Shape.of(1, 8, 8),
                conv2d(8, 3).padding(1), relu(), maxPool2d(2), flatten(), linear(16), relu(), linear(2));
        Path file = Files.createTempFile("square-up-or-down", ".safetensors");

        // The device named on the command line (cpu, opencl:0, cuda:0), else the best one here.
        try (Backend device = args.length > 0 ? Devices.open(args[0]) : Devices.openBest()) {
            try (Model model = Model.create(spec, device, 42)) {
                List<EpochResult> epochs = model.fit(train, test,
                        TrainingConfig.builder().epochs(5).batchSize(32).build());
                System.out.println("test accuracy " + epochs.get(4).test().accuracy());
                model.save(file);
            }
            try (Model loaded = Model.load(file, device)) {
                float[] image = images(1, random).inputs();
                Prediction p = loaded.predict(image);
                System.out.println("predicted " + p.predictedClass() + ", top 2: " + p.topK(2));
            }
        }
    }

    /** 8x8 grey noise with a bright 2x2 square somewhere: label 1 when the square is in the top half. */
    static ArrayDataset images(int count, Random random) {
        float[] pixels = new float[count * 64];
        float[] labels = new float[count];
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < 64; p++) {
                pixels[i * 64 + p] = 0.5f * random.nextFloat();
            }
            int row = random.nextBoolean() ? random.nextInt(3) : 4 + random.nextInt(3);
            int column = random.nextInt(7);
            for (int p : new int[] {0, 1, 8, 9}) {
                pixels[i * 64 + row * 8 + column + p] = 1f;
            }
            labels[i] = row < 4 ? 1 : 0;
        }
        return ArrayDataset.classification(pixels, labels, Shape.of(1, 8, 8), 2);
    }
}
