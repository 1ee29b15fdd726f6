package dev.cortado.train;

import dev.cortado.nn.Parameter;
import java.util.List;

/**
 * What a {@link Trainer} does with a step's gradients between the backward pass and the optimizer update: nothing in
 * one process ({@link #NONE}); in data-parallel training, replace every worker's gradients with the mean over all
 * the workers' samples, so that every worker applies the same update to the same weights.
 *
 * <p>Every worker calls it once per step, in step order, also for a step in which its share of the batch is empty.
 */
public interface GradientExchange {
    /** Leaves the gradients as they are: training in one process. */
    GradientExchange NONE = (parameters, samples) -> {
    };

    /**
     * Called after the backward pass of a step and before the optimizer update.
     *
     * @param parameters the model's parameters, whose gradients the backward pass has just written (the gradient of
     *     this worker's mean loss); the same list, in the same order, at every step
     * @param samples the samples of the batch this worker trained on, 0 for an empty share (its gradients are then
     *     zero)
     */
    void exchange(List<Parameter> parameters, int samples);

    /**
     * The step's figures as the whole step's, after the optimizer update: in data-parallel training, the loss and
     * metric over every worker's samples. In one process, {@code local} itself.
     */
    default StepResult combine(StepResult local) {
        return local;
    }
}
