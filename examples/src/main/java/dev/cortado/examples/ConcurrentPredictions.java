package dev.cortado.examples;

import static dev.cortado.model.LayerSpec.conv2d;
import static dev.cortado.model.LayerSpec.flatten;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A model trained, saved and loaded, then asked by 8 threads at once, as a web service's request threads would:
 * every thread gets the answers that one thread alone gets.
 */
public final class ConcurrentPredictions {
    static final int THREADS = 8;

    private ConcurrentPredictions() {
    }

    public static void main(String[] args) throws Exception {
        try (Backend device = args.length > 0 ? Devices.open(args[0]) : Devices.openBest()) {
            int differences = run(device);
            System.out.println(differences + " predictions of " + THREADS + " threads differ from one thread's");
        }
    }

    /** The number of predictions, over all threads, whose class differs from the single-threaded answer. */
    static int run(Backend device) throws Exception {
        Random random = new Random(5);
        ArrayDataset images = QuickStart.images(1000, random);
        ModelSpec spec = ModelSpec.of("square-up-or-down", Shape.of(1, 8, 8), conv2d(4, 3), relu(), flatten(),
                linear(2));
        Path file = Files.createTempFile("concurrent", ".safetensors");
        try (Model model = Model.create(spec, device, 1)) {
            model.fit(images, null, TrainingConfig.builder().epochs(2).batchSize(32).build());
            model.save(file);
        }
        try (Model model = Model.load(file, device)) {
            float[][] samples = new float[200][];
            int[] alone = new int[samples.length];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = Arrays.copyOfRange(images.inputs(), i * 64, (i + 1) * 64);
                alone[i] = model.predict(samples[i]).predictedClass();
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<Integer>> differences = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    differences.add(pool.submit(() -> {
                        int differ = 0;
                        for (int i = 0; i < samples.length; i++) {
                            differ += model.predict(samples[i]).predictedClass() != alone[i] ? 1 : 0;
                        }
                        return differ;
                    }));
                }
                int total = 0;
                for (Future<Integer> f : differences) {
                    total += f.get();
                }
                return total;
            } finally {
                pool.shutdown();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
