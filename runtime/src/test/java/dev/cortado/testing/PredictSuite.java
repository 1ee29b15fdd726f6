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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.backend.Activation;
import dev.cortado.model.Model;
import dev.cortado.model.ModelSpec;
import dev.cortado.model.Prediction;
import dev.cortado.nn.Mode;
import dev.cortado.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Model#predict} from many threads at once gives every thread the answers one thread gets alone, on every
 * device: the weights are shared and each caller has activations of its own. The models have every kind of layer
 * whose evaluation differs from training (batch norm, dropout) and some that keep activations; the second is a
 * small ResNet, whose residual blocks hold layers of their own (grouped and depthwise convolutions among them).
 */
public abstract class PredictSuite extends BackendSuiteSupport {
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
