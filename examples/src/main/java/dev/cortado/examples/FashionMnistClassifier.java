package dev.cortado.examples;

import dev.cortado.Model;
import dev.cortado.backend.Backend;
import dev.cortado.data.Dataset;
import dev.cortado.data.DatasetException;
import dev.cortado.data.MnistDataset;
import dev.cortado.data.Split;
import dev.cortado.device.Devices;
import dev.cortado.model.ModelSpec;
import dev.cortado.train.EpochResult;
import dev.cortado.train.Evaluation;
import dev.cortado.train.StepResult;
import dev.cortado.train.TrainingConfig;
import dev.cortado.train.TrainingListener;
import java.nio.file.Path;

/**
 * LeNet-5 on Fashion-MNIST for one epoch, with progress every 200 steps and the test accuracy per class.
 *
 * <pre>{@code java --add-modules jdk.incubator.vector -cp ... dev.cortado.examples.FashionMnistClassifier \
 *     [DATA_DIR] [DEVICE] [TRAINING_SAMPLES]}</pre>
 *
 * DATA_DIR holds the four IDX files (default: Debian's {@code /usr/share/datasets/fashion-mnist}).
 */
public final class FashionMnistClassifier {
    static final String[] CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                                     "Sneaker", "Bag", "Ankle boot"};

    private FashionMnistClassifier() {
    }

    public static void main(String[] args) throws DatasetException {
        Path data = Path.of(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist");
        try (Backend device = args.length > 1 ? Devices.open(args[1]) : Devices.openBest()) {
            Evaluation result = train(device, data, args.length > 2 ? Integer.parseInt(args[2]) : 0);
            System.out.printf("test accuracy %.2f%%%n", 100 * result.accuracy());
            for (int c = 0; c < CLASSES.length; c++) {
                System.out.printf("  %-12s %.1f%%%n", CLASSES[c], 100 * result.classAccuracy(c));
            }
        }
    }

    /** Trains on the first {@code trainingSamples} images (all for 0) for one epoch; the test set's evaluation. */
    static Evaluation train(Backend device, Path data, int trainingSamples) throws DatasetException {
        Dataset train = MnistDataset.load(data, Split.TRAIN);
        Dataset test = MnistDataset.load(data, Split.TEST);
        try (Model model = Model.create(ModelSpec.builtIn("lenet5"), device, 42)) {
            System.out.println(model.summary() + " on " + device.info().device());
            TrainingConfig recipe = TrainingConfig.builder().epochs(1).trainLimit(trainingSamples).build();
            model.fit(train, null, recipe, new TrainingListener() {
                @Override
                public void onStep(int epoch, int batch, int batches, StepResult step,
                                   double imagesPerSecond) {
                    if ((batch + 1) % 200 == 0) {
                        System.out.printf("batch %d/%d loss %.4f, %.0f images/s%n", batch + 1, batches,
                                step.loss(), imagesPerSecond);
                    }
                }

                @Override
                public void onEpoch(EpochResult result) {
                    System.out.printf("epoch done: train loss %.4f, accuracy %.2f%%%n", result.trainLoss(),
                            100 * result.trainMetric());
                }
            });
            return model.evaluate(test);
        }
    }
}
