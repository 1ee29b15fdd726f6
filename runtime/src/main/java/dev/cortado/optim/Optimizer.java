package dev.cortado.optim;

import dev.cortado.tensor.Tensor;
import java.util.Map;

/**
 * Updates a model's parameters from their gradients with one fused backend op per parameter, then zeroes the
 * gradients for the next step.
 */
public interface Optimizer extends AutoCloseable {

    /** Applies one update at learning rate {@code lr} to every parameter and zeroes the gradients. */
    void step(float lr);

    /** Number of updates applied so far. */
    long steps();

    /** Sets the update count, when resuming from a checkpoint whose state was loaded into {@link #state()}. */
    void restoreSteps(long steps);

    /**
     * The optimizer's per-parameter state by name ({@code <parameter>.momentum_buffer}, {@code .exp_avg},
     * {@code .exp_avg_sq}, as PyTorch names it), for checkpoints; loading values into these tensors restores it.
     */
    Map<String, Tensor> state();

    /** Releases the state tensors. */
    @Override
    void close();
}
