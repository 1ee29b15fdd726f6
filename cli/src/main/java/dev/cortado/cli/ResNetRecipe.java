package dev.cortado.cli;

import dev.cortado.model.ModelSpec;
import dev.cortado.train.TrainingConfig;
import dev.cortado.train.TrainingConfig.ScheduleKind;
import java.util.List;
import picocli.CommandLine.ParseResult;

/**
 * The recipe {@code cortado train} uses for the built-in ResNets when no option of the recipe is given: He et al.'s
 * CIFAR recipe (SGD with momentum 0.9, lr 0.1 at batch 128, weight decay 5e-4) at the default batch of 64, so lr
 * 0.05, with a cosine decay to 0 over the run's epochs, which a short run needs: with the reference recipe's
 * constant lr 0.01, resnet8 in PyTorch was at 81.4% and 88.5% test accuracy on Fashion-MNIST after 1 and 2 of its
 * 3 epochs, its batch norms' statistics still moving. {@code --epochs} stays free: the decay spans whatever number
 * is given.
 */
final class ResNetRecipe {
    static final float LR = 0.05f;
    static final float WEIGHT_DECAY = 5e-4f;

    /** The options that choose a recipe: giving any of them keeps the user's recipe as it is. */
    static final List<String> RECIPE_OPTIONS = List.of("--batch-size", "--lr", "--schedule", "--optimizer",
            "--momentum", "--nesterov", "--weight-decay");

    private ResNetRecipe() {
    }

    /** Whether the model is a built-in ResNet and the command line chose none of the recipe options. */
    static boolean applies(String model, ParseResult parsed) {
        return ModelSpec.BUILT_INS.contains(model) && model.startsWith("resnet")
                && RECIPE_OPTIONS.stream().noneMatch(parsed::hasMatchedOption);
    }

    /** The given configuration with the ResNet learning rate, schedule and weight decay. */
    static TrainingConfig apply(TrainingConfig c) {
        return new TrainingConfig(c.optimizer(), LR, c.momentum(), WEIGHT_DECAY, c.nesterov(), ScheduleKind.COSINE,
                c.stepEpochs(), c.epochs(), c.batchSize(), c.seed(), c.trainLimit(), c.testLimit(),
                c.labelSmoothing(), c.clipGradNorm());
    }

    /** The line that says which recipe runs and why. */
    static String describe(String model) {
        return "recipe: " + model + " trains with He et al.'s ResNet recipe at batch 64: lr " + LR
                + ", weight decay 5e-4, a cosine decay to 0 over the epochs; give any of "
                + String.join(", ", RECIPE_OPTIONS) + " to choose your own";
    }
}
