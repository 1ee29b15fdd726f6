package dev.cortado.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Runs index ranges on every core. One pool per process, sized to the machine; work below a grain size runs on
 * the calling thread, so small tensors pay no scheduling cost.
 */
public final class Parallel {
    private static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors());

    /** A body that handles indices {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private Parallel() {
    }

    /** Number of worker threads. */
    public static int threads() {
        return POOL.getParallelism();
    }

    /**
     * Calls {@code body} over disjoint ranges covering {@code [0, n)}, in parallel when {@code n} is at least
     * twice {@code grain}. Ranges are at least {@code grain} long (but the last); returns when all are done.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int chunks = Math.min(threads() * 4, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || ForkJoinTask.getPool() == POOL) {
            body.run(0, n);
            return;
        }
        POOL.invoke(new Chunk(body, n, chunks, 0, chunks));
    }

    private static final class Chunk extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient RangeBody body;
        private final int n;
        private final int chunks;
        private final int first;
        private final int last;

        Chunk(RangeBody body, int n, int chunks, int first, int last) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.first = first;
            this.last = last;
        }

        @Override
        protected void compute() {
            if (last - first == 1) {
                body.run((int) ((long) n * first / chunks), (int) ((long) n * last / chunks));
                return;
            }
            int mid = (first + last) >>> 1;
            invokeAll(new Chunk(body, n, chunks, first, mid), new Chunk(body, n, chunks, mid, last));
        }
    }
}
