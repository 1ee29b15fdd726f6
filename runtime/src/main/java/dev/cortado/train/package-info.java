/**
 * Training and evaluating a classifier: the step, the epoch and the resumable run with its checkpoints, the
 * training configuration, evaluation with a confusion matrix, and throughput measurement.
 */
package dev.cortado.train;
