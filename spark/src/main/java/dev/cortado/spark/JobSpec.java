package dev.cortado.spark;

import dev.cortado.model.ModelSpec;
import dev.cortado.spark.ring.RingSettings;
import dev.cortado.train.TrainingConfig;
import java.io.Serializable;
import java.time.Duration;

/**
 * Everything the driver tells each worker's task: what to train (model spec and configuration as JSON, the same
 * strings a checkpoint holds), where the data and the output are, and how to run.
 *
 * @param modelJson the model spec
 * @param configJson the training configuration, whose batch size is that of all workers together
 * @param workers the number of workers, one Spark task each
 * @param data the dataset's directory: a path every executor mounts, or a Hadoop file system URI
 * @param out the output directory, likewise
 * @param device {@code --device}, or null for the GPU Spark assigns, else the CPU
 * @param checkpointEvery steps between checkpoints, 0 for epoch ends only
 * @param logEvery steps between metrics lines
 * @param verbose print a line per checkpoint
 * @param ringConnectSeconds how long the workers have to connect their ring
 * @param ringTimeoutSeconds how long a worker waits for a peer in an exchange before giving it up
 * @param hadoop the driver's Hadoop configuration
 * @param session distinguishes this submission's ring from any other
 * @param timeExchange for benchmarks: time the wait for the slowest worker apart from the gradient sum
 */
record JobSpec(String modelJson, String configJson, int workers, String data, String out, String device,
               int checkpointEvery, int logEvery, boolean verbose, long ringConnectSeconds, long ringTimeoutSeconds,
               HadoopConf hadoop, long session, boolean timeExchange) implements Serializable {

    ModelSpec model() {
        return ModelSpec.parse(modelJson);
    }

    TrainingConfig config() {
        return TrainingConfig.fromJson(configJson);
    }

    RingSettings ringSettings() {
        return new RingSettings(Duration.ofSeconds(ringConnectSeconds), Duration.ofSeconds(ringTimeoutSeconds));
    }

    /** This job for another submission of the stage. */
    JobSpec withSession(long newSession) {
        return new JobSpec(modelJson, configJson, workers, data, out, device, checkpointEvery, logEvery, verbose,
                ringConnectSeconds, ringTimeoutSeconds, hadoop, newSession, timeExchange);
    }
}
