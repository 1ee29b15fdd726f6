package dev.cortado.cli;

import dev.cortado.model.ModelSpec;
import dev.cortado.train.TrainingConfig;
import dev.cortado.train.TrainingConfig.ScheduleKind;
import java.util.List;
import picocli.CommandLine.ParseResult;

/**
 * The recipe {@code cortado train} and {@code cortado-spark train} use for the built-in ResNets when no option of
 * the recipe is given: He et al.'s CIFAR recipe (SGD with momentum 0.9, lr 0.1 at batch 128, weight decay 5e-4)
 * with the learning rate scaled linearly to the step's batch (0.05 at {@code cortado train}'s 64; 0.1 for two Spark
 * workers of 64) up to their 0.1, as a larger rate needs a warm-up (Goyal et al. 2017) that this recipe lacks, and a
 * cosine decay to 0 over the run's epochs, which a short run needs: with the reference
 * recipe's constant lr 0.01, resnet8 in PyTorch was at 81.4% and 88.5% test accuracy on Fashion-MNIST after 1 and 2
 * of its 3 epochs, its batch norms' statistics still moving. {@code --epochs} stays free: the decay spans whatever
 * number is given.
 */
public final class ResNetRecipe {
    /** The learning rate for every {@link #LR_BATCH} samples of a step, up to {@link #MAX_LR}. */
    static final float LR = 0.05f;
    static final int LR_BATCH = 64;
    static final float MAX_LR = 0.1f;
    static final float WEIGHT_DECAY = 5e-4f;

    /** The options that choose a recipe: giving any of them keeps the user's recipe as it is. */
    static final List<String> RECIPE_OPTIONS = List.of("--batch-size", "--lr", "--schedule", "--optimizer",
            "--momentum", "--nesterov", "--weight-decay");

    private ResNetRecipe() {
    }

    /**
     * Whether the recipe replaces the options' one.
     *
     * @param model  the {@code --model} given
     * @param parsed the command line
     * @return whether the model is a built-in ResNet and the command line chose none of the recipe options
     */
    public static boolean applies(String model, ParseResult parsed) {
        return ModelSpec.BUILT_INS.contains(model) && model.startsWith("resnet")
                && RECIPE_OPTIONS.stream().noneMatch(parsed::hasMatchedOption);
    }

    /**
     * The recipe's configuration.
     *
     * @param c the configuration from the options, with the step's batch size
     * @return {@code c} with the ResNet learning rate for its batch size, the cosine schedule and the weight decay
     */
    public static TrainingConfig apply(TrainingConfig c) {
        float lr = Math.min(MAX_LR, LR * c.batchSize() / LR_BATCH);
        return new TrainingConfig(c.optimizer(), lr, c.momentum(), WEIGHT_DECAY, c.nesterov(), ScheduleKind.COSINE,
                c.stepEpochs(), c.epochs(), c.batchSize(), c.seed(), c.trainLimit(), c.testLimit(),
                c.labelSmoothing(), c.clipGradNorm());
    }

    /**
     * The line that says which recipe runs and why.
     *
     * @param model  the built-in ResNet's name
     * @param recipe the configuration {@link #apply} made
     * @return one line for the run's header
     */
    public static String describe(String model, TrainingConfig recipe) {
        return "recipe: " + model + " trains with He et al.'s ResNet recipe: lr " + recipe.lr() + " for steps of "
                + recipe.batchSize() + " (" + LR + " per " + LR_BATCH + " samples, at most " + MAX_LR
                + "), weight decay 5e-4, a cosine decay to 0 over the epochs; give any of "
                + String.join(", ", RECIPE_OPTIONS) + " to choose your own";
    }
}
