package dev.cortado.data;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copies the samples of a batch out of a dataset on the loader's thread and, when the dataset asks for more
 * ({@link Dataset#readThreads()}), on helper threads too. The threads take the batch's samples one at a time, and
 * each sample is written to its own place, so the batch holds the same values with any number of threads. When
 * samples fail, every sample of the batch is still tried and the failure of the first in batch order is thrown,
 * so a bad file is reported the same way on every run.
 */
final class BatchFiller implements AutoCloseable {
    private final Dataset source;
    private final int sampleSize;
    private final int targetSize;
    private final int threads;
    /** The helpers (threads - 1 of them), or null when the loader's thread reads alone. */
    private final ExecutorService helpers;
    /** The helpers' threads, which {@link #close} joins: a terminated pool's last thread may still be running. */
    private final List<Thread> helperThreads = new CopyOnWriteArrayList<>();

    BatchFiller(Dataset source, int capacity, String threadName) {
        this.source = source;
        this.sampleSize = source.sampleSize();
        this.targetSize = source.targets().size();
        this.threads = Math.max(1, Math.min(source.readThreads(), capacity));
        AtomicInteger made = new AtomicInteger();
        this.helpers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, threadName + "-reader-" + made.incrementAndGet());
            t.setDaemon(true);
            helperThreads.add(t);
            return t;
        });
    }

    /**
     * Fills {@code inputs} and {@code targets} with samples {@code order[first..first+count)}.
     *
     * @throws InterruptedException when the loader is closed meanwhile
     */
    void fill(float[] inputs, float[] targets, int[] order, int first, int count) throws InterruptedException {
        if (helpers == null || count < 2) {
            for (int i = 0; i < count; i++) {
                copy(order[first + i], inputs, targets, i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Throwable[] failures = new Throwable[count];
        Runnable work = () -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                try {
                    copy(order[first + i], inputs, targets, i);
                } catch (RuntimeException | Error e) {
                    failures[i] = e;
                }
            }
        };
        List<Future<?>> running = new ArrayList<>(threads - 1);
        for (int t = 1; t < Math.min(threads, count); t++) {
            running.add(helpers.submit(work));
        }
        work.run();
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a reader thread failed outside a sample", e.getCause());
            }
        }
        for (Throwable failure : failures) {
            if (failure instanceof RuntimeException r) {
                throw r;
            } else if (failure instanceof Error e) {
                throw e;
            }
        }
    }

    private void copy(int sample, float[] inputs, float[] targets, int slot) {
        source.copyInputs(sample, inputs, slot * sampleSize);
        source.copyTarget(sample, targets, slot * targetSize);
    }

    /** Stops the helpers and waits for them to end. */
    @Override
    public void close() {
        if (helpers == null) {
            return;
        }
        helpers.shutdownNow();
        boolean interrupted = false;
        for (Thread t : helperThreads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
