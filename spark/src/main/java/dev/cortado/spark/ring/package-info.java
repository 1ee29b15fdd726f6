/**
 * The ring all-reduce between the workers of a training run: each worker connects to the next one over TCP, and
 * a buffer of floats is summed by a reduce-scatter and an all-gather around the ring, with timeouts and errors that
 * name the peer that was lost. It knows nothing of Spark or of models.
 */
package dev.cortado.spark.ring;
