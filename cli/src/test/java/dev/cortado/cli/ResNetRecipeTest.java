package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.train.TrainingConfig;
import dev.cortado.train.TrainingConfig.ScheduleKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class ResNetRecipeTest {

    private static ParseResult parse(String... args) {
        return new CommandLine(new TrainCommand()).parseArgs(args);
    }

    @Test
    void theBuiltInResNetsTakeTheirRecipeWhenNoRecipeOptionIsGiven() {
        assertTrue(ResNetRecipe.applies("resnet8", parse("--model", "resnet8", "--epochs", "3")));
        assertTrue(ResNetRecipe.applies("resnet20", parse("--model", "resnet20", "--label-smoothing", "0.1")));
        assertFalse(ResNetRecipe.applies("lenet5", parse("--model", "lenet5")));
        assertFalse(ResNetRecipe.applies("resnet8.json", parse("--model", "resnet8.json")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--batch-size=32", "--lr=0.1", "--schedule=step", "--optimizer=adam", "--momentum=0.5",
        "--nesterov", "--weight-decay=0"})
    void anyRecipeOptionKeepsTheUsersRecipe(String option) {
        assertFalse(ResNetRecipe.applies("resnet8", parse("--model", "resnet8", option)));
    }

    @Test
    void theRecipeSetsRateDecayAndScheduleAndKeepsTheRest() {
        TrainingConfig given = TrainingConfig.defaults().withEpochs(5).withLabelSmoothing(0.1f).withClipGradNorm(2f);
        TrainingConfig recipe = ResNetRecipe.apply(given);
        assertEquals(0.05f, recipe.lr());
        assertEquals(5e-4f, recipe.weightDecay());
        assertEquals(ScheduleKind.COSINE, recipe.schedule());
        assertEquals(5, recipe.epochs());
        assertEquals(64, recipe.batchSize());
        assertEquals(0.9f, recipe.momentum());
        assertEquals(0.1f, recipe.labelSmoothing());
        assertEquals(2f, recipe.clipGradNorm());
    }

    @Test
    void theRateScalesWithTheStepsBatchUpToHeEtAlsRate() {
        assertEquals(0.025f, ResNetRecipe.apply(batchOf(32)).lr());
        assertEquals(0.1f, ResNetRecipe.apply(batchOf(128)).lr());
        assertEquals(0.1f, ResNetRecipe.apply(batchOf(512)).lr());
        assertEquals("recipe: resnet8 trains with He et al.'s ResNet recipe: lr 0.1 for steps of 128 (0.05 per 64 "
                + "samples, at most 0.1), weight decay 5e-4, a cosine decay to 0 over the epochs; give any of "
                + String.join(", ", ResNetRecipe.RECIPE_OPTIONS) + " to choose your own",
                ResNetRecipe.describe("resnet8", ResNetRecipe.apply(batchOf(128))));
    }

    private static TrainingConfig batchOf(int size) {
        return TrainingConfig.builder().batchSize(size).build();
    }
}
