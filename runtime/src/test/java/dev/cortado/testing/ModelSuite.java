package dev.cortado.testing;

import static dev.cortado.model.LayerSpec.batchNorm;
import static dev.cortado.model.LayerSpec.conv2d;
import static dev.cortado.model.LayerSpec.dropout;
import static dev.cortado.model.LayerSpec.flatten;
import static dev.cortado.model.LayerSpec.gelu;
import static dev.cortado.model.LayerSpec.globalAvgPool;
import static dev.cortado.model.LayerSpec.linear;
import static dev.cortado.model.LayerSpec.maxPool2d;
import static dev.cortado.model.LayerSpec.relu;
import static dev.cortado.model.LayerSpec.residual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.Model;
import dev.cortado.Prediction;
import dev.cortado.backend.Activation;
import dev.cortado.data.ArrayDataset;
import dev.cortado.data.DataInfo;
import dev.cortado.data.ImageFiles;
import dev.cortado.data.Normalization;
import dev.cortado.data.Preprocessing;
import dev.cortado.data.Targets;
import dev.cortado.model.ModelSpec;
import dev.cortado.nn.Mode;
import dev.cortado.tensor.Shape;
import dev.cortado.train.Checkpoint;
import dev.cortado.train.CheckpointException;
import dev.cortado.train.EpochResult;
import dev.cortado.train.Evaluation;
import dev.cortado.train.TrainingConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The front door on every device: {@link Model#fit} learns a classification and a regression, {@link Model#save}
 * and {@link Model#load} give back the same predictions, and {@link Model#predict} from many threads at once
 * gives every thread the answers one thread gets alone (the weights are shared and each caller has activations of
 * its own). The models predicted from have every kind of layer whose evaluation differs from training (batch norm,
 * dropout); the second is a small ResNet, whose residual blocks hold layers of their own (grouped and depthwise
 * convolutions among them).
 */
public abstract class ModelSuite extends BackendSuiteSupport {
    private static final int THREADS = 8;
    private static final int SAMPLES = 150;

    private static final ModelSpec SPEC = ModelSpec.of("predict-suite", Shape.of(2, 12, 12),
            conv2d(6, 3).padding(1), batchNorm(), relu(), maxPool2d(2), conv2d(8, 3), relu(), flatten(),
            dropout(0.3f), linear(20), relu(), linear(5));

    private static final ModelSpec RESNET = ModelSpec.of("predict-suite-resnet", Shape.of(2, 12, 12),
            conv2d(6, 3).padding(1).withoutBias(), batchNorm(), relu(),
            residual(conv2d(6, 3).padding(1).groups(2).withoutBias(), batchNorm(), gelu(),
                    conv2d(6, 3).padding(1).groups(6).withoutBias(), batchNorm()).activation(Activation.SILU),
            residual(conv2d(8, 3).stride(2).padding(1).withoutBias(), batchNorm(), relu(),
                    conv2d(8, 3).padding(1).withoutBias(), batchNorm())
                    .shortcut(conv2d(8, 1).stride(2).withoutBias(), batchNorm()),
            globalAvgPool(), dropout(0.3f), linear(5));

    static Stream<Named<ModelSpec>> models() {
        return Stream.of(SPEC, RESNET).map(spec -> Named.of(spec.name(), spec));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void eightThreadsPredictingOnOneModelGetTheAnswersOfOneThread(ModelSpec spec) throws Exception {
        int size = Math.toIntExact(spec.input().size());
        float[][] samples = new float[SAMPLES][];
        for (int i = 0; i < SAMPLES; i++) {
            samples[i] = values(size);
        }
        try (Model model = Model.create(spec, backend(), 11)) {
            trainOneStepSoTheBatchNormStatisticsAreNotTheirDefaults(model, samples);
            float[][] alone = new float[SAMPLES][];
            for (int i = 0; i < SAMPLES; i++) {
                alone[i] = model.predict(samples[i]).outputs();
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<float[][]>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    long seed = random().nextLong();
                    results.add(pool.submit(() -> predictInRandomOrder(model, samples, new Random(seed))));
                }
                for (Future<float[][]> result : results) {
                    float[][] got = result.get();
                    for (int i = 0; i < SAMPLES; i++) {
                        assertClose("sample " + i, alone[i], got[i], Tolerance.ELEMENTWISE);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Every sample, one at a time or in small batches, in a shuffled order. */
    private static float[][] predictInRandomOrder(Model model, float[][] samples, Random random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < samples.length; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        float[][] out = new float[samples.length][];
        for (int at = 0; at < order.size(); ) {
            int count = Math.min(order.size() - at, 1 + random.nextInt(6));
            float[] batch = new float[0];
            for (int k = 0; k < count; k++) {
                float[] sample = samples[order.get(at + k)];
                batch = Arrays.copyOf(batch, batch.length + sample.length);
                System.arraycopy(sample, 0, batch, batch.length - sample.length, sample.length);
            }
            List<Prediction> predictions = model.predictBatch(batch);
            for (int k = 0; k < count; k++) {
                out[order.get(at + k)] = predictions.get(k).outputs();
            }
            at += count;
        }
        return out;
    }

    private void trainOneStepSoTheBatchNormStatisticsAreNotTheirDefaults(Model model, float[][] samples) {
        int size = samples[0].length;
        float[] batch = new float[4 * size];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(samples[i], 0, batch, i * size, size);
        }
        model.network().forward(tensor(model.spec().input().prepend(4), batch), Mode.TRAIN);
    }

    /** Points in the plane, labelled by the quadrant they fall in: a small task a two-layer net learns. */
    private ArrayDataset quadrants(int count) {
        float[] inputs = values(2 * count);
        float[] labels = new float[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (inputs[2 * i] > 0 ? 1 : 0) + (inputs[2 * i + 1] > 0 ? 2 : 0);
        }
        return ArrayDataset.classification(inputs, labels, Shape.of(2), 4);
    }

    @Test
    void fitLearnsAClassificationAndEvaluatesIt() {
        ArrayDataset train = quadrants(512);
        ArrayDataset test = quadrants(256);
        ModelSpec spec = ModelSpec.of("quadrants", Shape.of(2), linear(32), relu(), linear(4));
        try (Model model = Model.create(spec, backend(), 3)) {
            List<EpochResult> epochs = model.fit(train, test, TrainingConfig.builder().sgd(0.1f, 0.9f).epochs(8)
                    .batchSize(32).seed(5).build());
            assertEquals(8, epochs.size());
            EpochResult last = epochs.get(7);
            assertTrue(last.test().accuracy() >= 0.9, "test accuracy after 8 epochs: " + last.test().accuracy());
            Evaluation again = model.evaluate(test);
            assertEquals(last.test().correct(), again.correct(), "evaluate gives the fit's last evaluation");
            assertEquals(4, again.confusion().length);
        }
    }

    @Test
    void fitLearnsARegressionWithSeveralOutputs() {
        int count = 400;
        float[] inputs = values(3 * count);
        float[] targets = new float[2 * count];
        for (int i = 0; i < count; i++) {
            float a = inputs[3 * i];
            float b = inputs[3 * i + 1];
            float c = inputs[3 * i + 2];
            targets[2 * i] = 2 * a - b + 0.5f;
            targets[2 * i + 1] = a + b + c;
        }
        ArrayDataset data = ArrayDataset.regression(inputs, targets, Shape.of(3), Shape.of(2));
        try (Model model = Model.create(ModelSpec.of("linear-map", Shape.of(3), linear(2)), backend(), 3)) {
            double before = model.evaluate(data).metric();
            List<EpochResult> epochs = model.fit(data, data, TrainingConfig.builder().sgd(0.05f, 0.9f).epochs(10)
                    .batchSize(16).build());
            Evaluation after = model.evaluate(data);
            assertFalse(after.isClassification());
            assertTrue(after.metric() < 0.02 && after.metric() < before / 10, "mean absolute error " + before
                    + " before, " + after.metric() + " after");
            assertEquals(after.metric(), epochs.get(9).test().metric(), 1e-6);
            float[] predicted = model.predict(new float[] {0.5f, -0.25f, 0.1f}).outputs();
            assertEquals(1.75f, predicted[0], 0.05f);
            assertEquals(0.35f, predicted[1], 0.05f);
        }
    }

    @Test
    void aSavedModelLoadsBackWithTheSamePredictions(@TempDir Path dir) throws Exception {
        float[] sample = values(Math.toIntExact(SPEC.input().size()));
        Path file = dir.resolve("model.safetensors");
        float[] before;
        try (Model model = Model.create(SPEC, backend(), 17)) {
            model.network().forward(tensor(SPEC.input().prepend(3), values(3 * sample.length)), Mode.TRAIN);
            before = model.predict(sample).outputs();
            model.save(file);
        }
        try (Model loaded = Model.load(file, backend())) {
            assertEquals(SPEC, loaded.spec());
            assertArrayEquals(before, loaded.predict(sample).outputs());
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(file)
                .restore(null, null));
        assertEquals(Checkpoint.NO_TRAINING_STATE, e.getMessage());
    }

    /**
     * A model fitted on named, normalized images keeps their class names and normalization through save and load,
     * and predicts image files from their pixels exactly as it predicts the normalized inputs of those images.
     */
    @Test
    void aModelKeepsItsDataInfoAndPredictsImageFilesAsItReadItsTrainingImages(@TempDir Path dir) throws Exception {
        Shape shape = Shape.of(3, 4, 5);
        ModelSpec spec = ModelSpec.of("images", shape, flatten(), linear(3));
        List<Path> files = new ArrayList<>();
        Random random = random();
        for (int i = 0; i < 6; i++) {
            BufferedImage image = new BufferedImage(5, 4, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 5; x++) {
                    image.setRGB(x, y, random.nextInt(1 << 24));
                }
            }
            files.add(dir.resolve(i + ".png"));
            assertTrue(ImageIO.write(image, "png", files.get(i).toFile()));
        }
        float[] pixels = ImageFiles.inputs(files, shape, null);
        ArrayDataset images = new ArrayDataset(pixels, new float[] {0, 1, 2, 0, 1, 2}, 6, shape,
                Targets.classes(List.of("ant", "bee", "cat")));
        Normalization normalization = Normalization.of(images);
        DataInfo expected = new DataInfo(List.of("ant", "bee", "cat"), new Preprocessing(normalization, null));
        Path file = dir.resolve("model.safetensors");
        try (Model model = Model.create(spec, backend(), 5)) {
            assertEquals(DataInfo.NONE, model.dataInfo());
            model.fit(images.normalized(normalization), null, TrainingConfig.builder().epochs(1).batchSize(3).build());
            assertEquals(expected, model.dataInfo());
            model.save(file);
        }
        float[] normalized = ImageFiles.inputs(files, shape, normalization);
        try (Model loaded = Model.load(file, backend())) {
            assertEquals(expected, loaded.dataInfo());
            List<Prediction> fromFiles = loaded.predictImages(files);
            List<Prediction> fromInputs = loaded.predictBatch(normalized);
            for (int i = 0; i < files.size(); i++) {
                assertArrayEquals(fromInputs.get(i).outputs(), fromFiles.get(i).outputs(), files.get(i).toString());
            }
        }
        float[] one = new float[60];
        images.normalized(normalization).copyInputs(4, one, 0);
        assertArrayEquals(Arrays.copyOfRange(normalized, 240, 300), one, "the dataset's arithmetic, value for value");
    }

    @Test
    void aSampleOfTheWrongSizeIsRefused() {
        try (Model model = Model.create(SPEC, backend(), 11)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.predict(new float[287]));
            assertEquals("predict: a sample of [2, 12, 12] has 288 values; got 287, which is not a whole number of "
                    + "samples", e.getMessage());
        }
    }
}
