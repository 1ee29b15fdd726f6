package dev.cortado.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs index ranges on every core: the calling thread and one worker per further core share each range, taking
 * its chunks in turn. Work below a grain size runs on the calling thread alone.
 *
 * <p>A training step hands dozens of short ops to the workers, each taking tens of microseconds, so the hand-off
 * must cost far less: workers spin for a while after each range before they park, and the caller works on the
 * range itself instead of waiting for a worker to wake. Chunk boundaries depend only on the range and the thread
 * count, never on which thread takes a chunk, so results are the same on every run. One range runs at a time:
 * a range started while another runs (from inside a chunk, or from a second thread) runs on its caller alone.
 */
public final class Parallel {
    /** How long an idle worker spins before it parks: longer than the gaps between the ops of a training step. */
    private static final long SPIN_NANOS = 500_000;
    /**
     * After this long idle, a spinning worker yields its core between looks: another thread may need it (a batch
     * loader filling the next batch waited for a core about 50 us per step without this).
     */
    private static final long YIELD_NANOS = 10_000;
    private static final int THREADS = Runtime.getRuntime().availableProcessors();
    private static final Team TEAM = THREADS > 1 ? new Team(THREADS - 1) : null;

    /** A body that handles indices {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        /** Handles indices {@code [from, to)}. */
        void run(int from, int to);
    }

    private Parallel() {
    }

    /** Number of threads that share a range, the caller included. */
    public static int threads() {
        return THREADS;
    }

    /**
     * Calls {@code body} over disjoint ranges covering {@code [0, n)}, in parallel when {@code n} is at least
     * twice {@code grain}. Ranges are at least {@code grain} long (but the last); returns when all are done and
     * rethrows the first exception a range threw (a checked one that a body threw sneakily, wrapped in a
     * RuntimeException where the range was shared between threads).
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int chunks = Math.min(THREADS * 4, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || TEAM == null || !TEAM.tryRun(new Job(body, n, chunks))) {
            body.run(0, n);
        }
    }

    /** One range cut into chunks, which threads claim in turn. */
    private static final class Job {
        private final RangeBody body;
        private final int n;
        private final int chunks;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger unfinished;
        /** The first exception a chunk threw; chunks not yet started when it was thrown are skipped. */
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(RangeBody body, int n, int chunks) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.unfinished = new AtomicInteger(chunks);
        }

        /** Runs chunks until none is left to claim. */
        void work() {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) {
                        body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    unfinished.decrementAndGet();
                }
            }
        }

        boolean done() {
            return unfinished.get() == 0;
        }
    }

    /** The worker threads and the range they are working on. */
    private static final class Team {
        private final AtomicBoolean busy = new AtomicBoolean();
        private final Worker[] workers;
        private volatile Job current;

        Team(int size) {
            workers = new Worker[size];
            for (int i = 0; i < size; i++) {
                workers[i] = new Worker(this, i + 1);
                workers[i].start();
            }
        }

        /** Runs the job on the caller and the workers; false, without running it, while another job runs. */
        boolean tryRun(Job job) {
            if (!busy.compareAndSet(false, true)) {
                return false;
            }
            try {
                current = job;
                for (Worker w : workers) {
                    if (w.parked) {
                        LockSupport.unpark(w);
                    }
                }
                job.work();
                for (int spins = 0; !job.done(); spins++) {
                    if (spins < 1 << 16) {
                        Thread.onSpinWait();
                    } else {
                        Thread.yield(); // a worker holding a chunk was descheduled
                    }
                }
            } finally {
                current = null;
                busy.set(false);
            }
            Throwable failure = job.failure.get();
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                // a checked exception, thrown past the compiler (RangeBody.run declares none)
                throw new RuntimeException(failure);
            }
            return true;
        }
    }

    /**
     * Takes chunks of each new job; after the last one, spins for {@link #YIELD_NANOS}, then yields between looks
     * until {@link #SPIN_NANOS}, then parks.
     */
    private static final class Worker extends Thread {
        private final Team team;
        volatile boolean parked;

        Worker(Team team, int index) {
            super("cortado-cpu-" + index);
            this.team = team;
            setDaemon(true);
        }

        @Override
        public void run() {
            Job last = null;
            while (true) {
                Job job = await(last);
                job.work();
                last = job;
            }
        }

        /** The next job other than {@code last}. */
        private Job await(Job last) {
            long idleSince = System.nanoTime();
            for (int spins = 0; ; spins++) {
                Job job = team.current;
                if (job != null && job != last) {
                    return job;
                }
                if ((spins & 0xff) != 0) {
                    Thread.onSpinWait();
                    continue;
                }
                long idle = System.nanoTime() - idleSince;
                if (idle < YIELD_NANOS) {
                    continue;
                }
                if (idle < SPIN_NANOS) {
                    Thread.yield(); // lets a thread that waits for this core (a batch loader) run
                    continue;
                }
                parked = true;
                job = team.current; // a job published before parked was set would find no one to wake it
                if (job == null || job == last) {
                    LockSupport.park(this);
                }
                parked = false;
                idleSince = System.nanoTime();
            }
        }
    }
}
