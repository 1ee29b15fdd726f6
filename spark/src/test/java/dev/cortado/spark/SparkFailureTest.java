package dev.cortado.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.cli.ExitCode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The driver's reading of Spark's job failures, from messages as Spark 3.5 and 4.0 write them. */
class SparkFailureTest {
    private static final String PREFIX = "Job aborted due to stage failure: Could not recover from a failed barrier "
            + "ResultStage. Most recent failure reason: Stage failed because barrier task ResultTask(0, 1) finished "
            + "unsuccessfully.\n";

    @Test
    void aLostExecutorIsNamedWithItsWorker() {
        Exception e = new RuntimeException(PREFIX + "ExecutorLostFailure (executor 0 exited caused by one of the "
                + "running tasks) Reason: Command exited with code 137");
        assertEquals("worker 1 (Spark task ResultTask(0, 1)): ExecutorLostFailure (executor 0 exited caused by one of "
                + "the running tasks) Reason: Command exited with code 137", SparkFailure.reason(e));
        assertEquals(Optional.empty(), SparkFailure.notRetried(e));
    }

    @Test
    void aWorkersFailureIsItsExceptionLineAndItsMarkGivesTheExitCode() {
        Exception e = new RuntimeException(PREFIX + "dev.cortado.spark.WorkerFailure: [not retried, exit 3] worker 1 "
                + "of 2: /x: dataset directory not found\n\tat dev.cortado.spark.Worker.train(Worker.java:60)");
        assertEquals("worker 1 (Spark task ResultTask(0, 1)): worker 1 of 2: /x: dataset directory not found",
                SparkFailure.reason(e));
        assertEquals(Optional.of(ExitCode.DATA), SparkFailure.notRetried(e));
    }

    @Test
    void withoutATaskTheFirstExceptionLineOrTheMessage() {
        assertEquals("java.io.IOException: boom", SparkFailure.reason(new RuntimeException("Job failed\n"
                + "java.io.IOException: boom")));
        assertEquals("Job cancelled", SparkFailure.reason(new RuntimeException("Job cancelled")));
    }
}
