/**
 * Data-parallel training on Apache Spark: {@link dev.cortado.spark.SparkTrain} submits a barrier stage with one
 * task per worker; each task trains the same model on its shard of every batch, the workers' gradients are
 * averaged over a TCP ring after each backward pass, worker 0 writes the checkpoints, and the driver resubmits the
 * stage after a failure, which resumes from the last checkpoint.
 */
package dev.cortado.spark;
