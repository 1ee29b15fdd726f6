package dev.cortado.spark;

import dev.cortado.cli.ExitCode;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The driver's side of a run: submits one barrier stage of one task per worker, and when it fails (an executor lost,
 * a worker's ring broken), submits it again, up to a number of restarts; each submission resumes from the last
 * checkpoint in the output directory. Spark retries a failed barrier stage only when it is not the job's last, which
 * this one is, so the driver resubmits it itself. A failure that another attempt would repeat is not retried.
 */
final class DistributedTraining {
    private static final ClassTag<WorkerReport> REPORT = ClassTag$.MODULE$.apply(WorkerReport.class);

    private final JavaSparkContext spark;
    private final PrintWriter out;

    DistributedTraining(JavaSparkContext spark, PrintWriter out) {
        this.spark = spark;
        this.out = out;
    }

    /**
     * Trains to the end and returns the workers' reports in rank order.
     *
     * @param restarts how many times a failed stage is submitted again
     * @throws TrainingFailedException when an attempt fails in a way another would repeat, or the last one fails
     */
    List<WorkerReport> train(JobSpec job, int restarts) {
        SecureRandom random = new SecureRandom();
        String group = "cortado-train-" + Long.toHexString(random.nextLong());
        for (int attempt = 0; ; attempt++) {
            // Interrupt the tasks' threads when the stage is killed, so that a waiting exchange ends at once.
            spark.setJobGroup(group, "cortado train on " + job.workers() + " workers, attempt " + (attempt + 1), true);
            try {
                return submit(job.withSession(random.nextLong()));
            } catch (Exception e) { // Spark's job failure, a checked SparkException that Scala throws undeclared
                String reason = SparkFailure.reason(e);
                Optional<ExitCode> repeated = SparkFailure.notRetried(e);
                if (repeated.isPresent()) {
                    throw new TrainingFailedException(reason, repeated.get(), e);
                }
                if (attempt >= restarts) {
                    throw new TrainingFailedException("attempt " + (attempt + 1) + " failed: " + reason + "; no "
                            + "restarts left (--restarts " + restarts + "); the last checkpoint is kept",
                            ExitCode.RESTARTS, e);
                }
                out.println("attempt " + (attempt + 1) + " failed: " + reason + "; submitting the stage again "
                        + "(restart " + (attempt + 1) + " of " + restarts + "), to resume from the last checkpoint");
                out.flush();
            } finally {
                spark.clearJobGroup();
            }
        }
    }

    private List<WorkerReport> submit(JobSpec job) {
        int workers = job.workers();
        RDD<Integer> partitions = spark.parallelize(IntStream.range(0, workers).boxed().toList(), workers).rdd();
        RDD<WorkerReport> reports = partitions.barrier().mapPartitions(new WorkerTask(job), false, REPORT);
        return new JavaRDD<>(reports, REPORT).collect();
    }
}
