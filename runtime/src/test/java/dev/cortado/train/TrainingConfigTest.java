package dev.cortado.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.data.Targets;
import dev.cortado.nn.loss.SoftmaxCrossEntropyLoss;
import dev.cortado.optim.LrSchedule;
import dev.cortado.train.TrainingConfig.OptimizerKind;
import dev.cortado.train.TrainingConfig.ScheduleKind;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrainingConfigTest {

    private static TrainingConfig config(OptimizerKind optimizer, float lr, float momentum, boolean nesterov,
                                         ScheduleKind schedule, int epochs, int batch) {
        return new TrainingConfig(optimizer, lr, momentum, 0.0005f, nesterov, schedule, 2, epochs, batch, -17L, 1000,
                0);
    }

    @Test
    void jsonRoundTripsEverySetting() {
        TrainingConfig c = config(OptimizerKind.SGD, 0.037f, 0.85f, true, ScheduleKind.COSINE, 7, 33);
        assertEquals(c, TrainingConfig.fromJson(c.toJson()));
        TrainingConfig adamw = config(OptimizerKind.ADAMW, 3e-4f, 0f, false, ScheduleKind.STEP, 1, 1);
        assertEquals(adamw, TrainingConfig.fromJson(adamw.toJson()));
        assertTrue(adamw.toJson().contains("\"optimizer\":\"adamw\""), adamw.toJson());
        TrainingConfig regularized = c.withLabelSmoothing(0.1f).withClipGradNorm(2.5f);
        assertEquals(0.1f, regularized.labelSmoothing());
        assertEquals(2.5f, regularized.clipGradNorm());
        assertEquals(regularized, TrainingConfig.fromJson(regularized.toJson()));
    }

    /** Checkpoints written before label smoothing and clipping existed hold neither: they read as 0, i.e. off. */
    @Test
    void aConfigurationWithoutSmoothingOrClippingReadsAsNeither() {
        TrainingConfig c = config(OptimizerKind.SGD, 0.037f, 0.85f, true, ScheduleKind.COSINE, 7, 33);
        String old = c.toJson().replace(",\"label_smoothing\":0.0", "").replace(",\"clip_grad_norm\":0.0", "");
        assertTrue(!old.contains("smoothing") && !old.contains("clip"), old);
        assertEquals(c, TrainingConfig.fromJson(old));
        assertEquals(0f, TrainingConfig.defaults().labelSmoothing());
        assertEquals(0f, TrainingConfig.defaults().clipGradNorm());
    }

    @Test
    void theTrainingLossCarriesTheLabelSmoothing() {
        assertEquals(0.2f, smoothingOfTheTrainingLoss(TrainingConfig.builder().labelSmoothing(0.2f).build()));
        assertEquals(0f, smoothingOfTheTrainingLoss(TrainingConfig.defaults()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Objective.forTraining(
                Targets.values(2), TrainingConfig.defaults().withLabelSmoothing(0.1f)));
        assertEquals("label smoothing applies to class labels; these targets are regression values", e.getMessage());
    }

    private static float smoothingOfTheTrainingLoss(TrainingConfig config) {
        try (Objective objective = Objective.forTraining(Targets.classes(10), config)) {
            return ((SoftmaxCrossEntropyLoss) objective.loss()).smoothing();
        }
    }

    @Test
    void defaultsAreTheReferenceRecipe() {
        TrainingConfig d = TrainingConfig.defaults();
        assertEquals(OptimizerKind.SGD, d.optimizer());
        assertEquals(0.01f, d.lr());
        assertEquals(0.9f, d.momentum());
        assertEquals(64, d.batchSize());
        assertEquals(3, d.epochs());
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of("batch size must be 1..65536, got 0",
                        (Supplier<?>) () -> config(OptimizerKind.SGD, 0.1f, 0.9f, false, ScheduleKind.CONSTANT, 1, 0)),
                Arguments.of("learning rate must be a number in (0, 100.0], got NaN",
                        (Supplier<?>) () -> config(OptimizerKind.SGD, Float.NaN, 0.9f, false, ScheduleKind.STEP, 1, 1)),
                Arguments.of("learning rate must be a number in (0, 100.0], got 1000.0",
                        (Supplier<?>) () -> config(OptimizerKind.ADAM, 1000f, 0f, false, ScheduleKind.STEP, 1, 1)),
                Arguments.of("epochs must be 1..100000, got 0",
                        (Supplier<?>) () -> config(OptimizerKind.SGD, 0.1f, 0f, false, ScheduleKind.CONSTANT, 0, 1)),
                Arguments.of("momentum must be in [0, 1), got 1.0",
                        (Supplier<?>) () -> config(OptimizerKind.SGD, 0.1f, 1f, false, ScheduleKind.CONSTANT, 1, 1)),
                Arguments.of("momentum and Nesterov apply to the sgd optimizer only, not adam",
                        (Supplier<?>) () -> config(OptimizerKind.ADAM, 0.1f, 0.9f, false, ScheduleKind.CONSTANT, 1, 1)),
                Arguments.of("Nesterov momentum needs a momentum > 0",
                        (Supplier<?>) () -> config(OptimizerKind.SGD, 0.1f, 0f, true, ScheduleKind.CONSTANT, 1, 1)),
                Arguments.of("label smoothing must be in [0, 1], got 1.5",
                        (Supplier<?>) () -> TrainingConfig.defaults().withLabelSmoothing(1.5f)),
                Arguments.of("label smoothing must be in [0, 1], got NaN",
                        (Supplier<?>) () -> TrainingConfig.defaults().withLabelSmoothing(Float.NaN)),
                Arguments.of("gradient clipping norm must be a number >= 0 (0 for none), got -1.0",
                        (Supplier<?>) () -> TrainingConfig.defaults().withClipGradNorm(-1f)),
                Arguments.of("gradient clipping norm must be a number >= 0 (0 for none), got Infinity",
                        (Supplier<?>) () -> TrainingConfig.defaults().withClipGradNorm(Float.POSITIVE_INFINITY)));
    }

    @ParameterizedTest
    @MethodSource("badSettings")
    void nonsenseAndAbsurdSettingsAreRejectedByName(String message, Supplier<?> make) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, make::get).getMessage());
    }

    @Test
    void schedulesCountEpochsInSteps() {
        TrainingConfig step = config(OptimizerKind.SGD, 0.1f, 0.9f, false, ScheduleKind.STEP, 4, 10);
        assertEquals(new LrSchedule.StepDecay(0.1f, 2 * 50, 0.1f), step.newSchedule(50));
        TrainingConfig cosine = config(OptimizerKind.SGD, 0.1f, 0.9f, false, ScheduleKind.COSINE, 4, 10);
        assertEquals(new LrSchedule.Cosine(0.1f, 4 * 50, 0f), cosine.newSchedule(50));
    }

    @Test
    void differencesNameTheSettingsAndIgnoreEpochsUnlessTheyShapeTheSchedule() {
        TrainingConfig a = config(OptimizerKind.SGD, 0.1f, 0.9f, false, ScheduleKind.CONSTANT, 3, 64);
        assertEquals(List.of(), a.differencesFrom(a.withEpochs(5)));
        TrainingConfig b = config(OptimizerKind.SGD, 0.2f, 0.9f, false, ScheduleKind.CONSTANT, 3, 32);
        assertEquals(List.of("lr: 0.1 vs 0.2", "batch_size: 64 vs 32"), a.differencesFrom(b));
        TrainingConfig cosine = config(OptimizerKind.SGD, 0.1f, 0.9f, false, ScheduleKind.COSINE, 3, 64);
        assertEquals(List.of("epochs: 3 vs 5"), cosine.differencesFrom(cosine.withEpochs(5)));
        assertEquals(List.of("label_smoothing: 0.0 vs 0.1", "clip_grad_norm: 0.0 vs 1.0"),
                a.differencesFrom(a.withLabelSmoothing(0.1f).withClipGradNorm(1f)));
    }
}
