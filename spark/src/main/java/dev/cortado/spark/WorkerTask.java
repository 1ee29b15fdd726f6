package dev.cortado.spark;

import dev.cortado.backend.Backend;
import dev.cortado.cli.ExitCode;
import dev.cortado.device.DeviceUnavailableException;
import dev.cortado.spark.ring.RingAllReduce;
import dev.cortado.spark.ring.RingEndpoint;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.BarrierTaskInfo;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * The function each task of the barrier stage runs: partition {@code r} is worker {@code r}. It opens its device,
 * listens for its ring connection, publishes its address with the barrier's {@code allGather} (once per attempt),
 * joins the ring and trains ({@link Worker}). Waits in the ring end when Spark kills the task (the thread's interrupt,
 * or {@code TaskContext.isInterrupted()}, checked several times a second).
 */
final class WorkerTask extends AbstractFunction1<Iterator<Integer>, Iterator<WorkerReport>> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final JobSpec job;

    WorkerTask(JobSpec job) {
        this.job = job;
    }

    @Override
    public Iterator<WorkerReport> apply(Iterator<Integer> partition) {
        BarrierTaskContext context = BarrierTaskContext.get();
        int rank = context.partitionId();
        BarrierTaskInfo[] tasks = context.getTaskInfos();
        if (tasks.length != job.workers()) {
            throw new IllegalStateException("the barrier stage has " + tasks.length + " tasks, not one per worker ("
                    + job.workers() + ")");
        }
        TaskDevice device;
        try {
            device = TaskDevice.open(job.device(), context.resourcesJMap());
        } catch (DeviceUnavailableException | IllegalArgumentException e) {
            throw new WorkerFailure(ExitCode.DEVICE, "worker " + rank + " of " + job.workers() + " on "
                    + tasks[rank].address() + ": " + e.getMessage(), e);
        }
        try (Backend backend = device.backend();
             RingEndpoint endpoint = RingEndpoint.open(host(tasks[rank].address()))) {
            List<String> addresses = List.of(context.allGather(endpoint.address()));
            try (RingAllReduce ring = RingAllReduce.join(rank, addresses, endpoint, job.session(),
                    job.ringSettings(), context::isInterrupted)) {
                WorkerReport report = new Worker(job, rank, ring, device, context::allGather).train();
                return CollectionConverters.asScala(List.of(report).iterator());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("worker " + rank + " of " + job.workers() + " on " + tasks[rank].address()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The host of an executor's address as Spark gives it ({@code host} or {@code host:port}). */
    static String host(String address) {
        if (address.startsWith("[")) {
            return address.substring(1, address.indexOf(']'));
        }
        int colon = address.indexOf(':');
        return colon >= 0 && colon == address.lastIndexOf(':') ? address.substring(0, colon) : address;
    }
}
