package dev.cortado.train;

/**
 * What one training step reports back to the host: the only values downloaded per step.
 *
 * @param step the optimizer step this was, from 0
 * @param loss mean loss of the batch, before the update
 * @param correct samples of the batch whose highest logit was the label
 * @param count samples in the batch
 * @param lr the learning rate used for the update
 */
public record StepResult(long step, float loss, int correct, int count, float lr) {
}
