package dev.cortado.spark.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ring all-reduce alone, without Spark: worker threads of one JVM over real loopback sockets. Timeouts are
 * short where a failure is provoked and generous elsewhere; nothing asserts how long anything takes.
 */
class RingAllReduceTest {
    private static final RingSettings GENEROUS = new RingSettings(Duration.ofSeconds(60), Duration.ofSeconds(60));
    private static final RingSettings SHORT_IO = new RingSettings(Duration.ofSeconds(60), Duration.ofSeconds(1));

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(60, TimeUnit.SECONDS), "a worker thread did not end");
    }

    /** What one worker does with its ring; it gets the ring and its rank. */
    private interface Work<T> {
        T run(RingAllReduce ring, int rank) throws Exception;
    }

    /** Starts {@code size} workers that join one ring and run {@code work}; the futures are in rank order. */
    private <T> List<Future<T>> ring(int size, RingSettings settings, AtomicBoolean cancelled, Work<T> work)
            throws IOException {
        List<RingEndpoint> endpoints = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int r = 0; r < size; r++) {
            RingEndpoint endpoint = RingEndpoint.open("127.0.0.1");
            endpoints.add(endpoint);
            addresses.add(endpoint.address());
        }
        List<Future<T>> results = new ArrayList<>();
        for (int r = 0; r < size; r++) {
            int rank = r;
            results.add(threads.submit(() -> {
                try (RingEndpoint endpoint = endpoints.get(rank);
                     RingAllReduce ring = RingAllReduce.join(rank, addresses, endpoint, 77, settings,
                             cancelled::get)) {
                    return work.run(ring, rank);
                }
            }));
        }
        return results;
    }

    private static float[] values(int rank, int n, int exchange) {
        SplittableRandom random = new SplittableRandom(1000L * rank + 31L * n + exchange);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void everyWorkerGetsTheSameSumsForAnySize(int size) throws Exception {
        int[] lengths = {0, 1, 2, 3, 5, 7, 1001, 61_707, 235_147};
        List<Future<List<float[]>>> results = ring(size, GENEROUS, new AtomicBoolean(), (ring, rank) -> {
            List<float[]> sums = new ArrayList<>();
            for (int e = 0; e < lengths.length; e++) {
                float[] v = values(rank, lengths[e], e);
                ring.sum(v);
                sums.add(v);
            }
            return sums;
        });
        List<float[]> first = results.get(0).get();
        for (int e = 0; e < lengths.length; e++) {
            int n = lengths[e];
            double[] expected = new double[n];
            for (int r = 0; r < size; r++) {
                float[] v = values(r, n, e);
                for (int i = 0; i < n; i++) {
                    expected[i] += v[i];
                }
            }
            for (int i = 0; i < n; i++) {
                assertEquals(expected[i], first.get(e)[i], 1e-5, "length " + n + ", element " + i);
            }
            for (int r = 1; r < size; r++) {
                assertArrayEquals(first.get(e), results.get(r).get().get(e), "worker " + r + ", length " + n);
            }
        }
    }

    @Test
    void aPeerThatDiesIsNamedByTheWorkerAfterIt() throws Exception {
        CountDownLatch died = new CountDownLatch(1);
        List<Future<String>> results = ring(3, GENEROUS, new AtomicBoolean(), (ring, rank) -> {
            if (rank == 1) {
                ring.close();
                died.countDown();
                return "died";
            }
            died.await();
            try {
                ring.sum(values(rank, 10_000, 0));
                return "no failure";
            } catch (PeerLostException e) {
                return e.peer().rank() + ": " + e.getMessage();
            }
        });
        String afterIt = results.get(2).get();
        assertTrue(afterIt.startsWith("1: rank 1 (127.0.0.1:"), afterIt);
        assertTrue(afterIt.contains("closed its ring connection") || afterIt.contains("lost rank 1"), afterIt);
        String beforeIt = results.get(0).get();
        assertTrue(beforeIt.matches("[12]: .*rank [12] \\(127\\.0\\.0\\.1:\\d+\\).*"), beforeIt);
    }

    @Test
    void aPeerThatHangsTimesOutNamingIt() throws Exception {
        CountDownLatch done = new CountDownLatch(2);
        List<Future<String>> results = ring(3, SHORT_IO, new AtomicBoolean(), (ring, rank) -> {
            if (rank == 1) {
                done.await(60, TimeUnit.SECONDS); // joined, then never exchanges: hangs until the others gave up
                return "hung";
            }
            try {
                ring.sum(values(rank, 1000, 0));
                return "no failure";
            } catch (PeerLostException e) {
                return e.getMessage();
            } finally {
                done.countDown();
            }
        });
        String afterIt = results.get(2).get();
        assertTrue(afterIt.matches("rank 1 \\(127\\.0\\.0\\.1:\\d+\\) sent nothing for 1 s \\(exchange 1, reduce "
                + "step 1 of 2\\).*"), afterIt);
        assertTrue(results.get(0).get().startsWith("rank 2 "), results.get(0).get());
    }

    @Test
    void aWorkerThatNeverJoinsIsNamedByTheOneAfterIt() throws Exception {
        RingSettings quickConnect = new RingSettings(Duration.ofSeconds(1), Duration.ofSeconds(60));
        RingEndpoint absent = RingEndpoint.open("127.0.0.1");
        try (RingEndpoint present = RingEndpoint.open("127.0.0.1")) {
            List<String> addresses = List.of(present.address(), absent.address());
            PeerLostException e = assertThrows(PeerLostException.class,
                    () -> RingAllReduce.join(0, addresses, present, 77, quickConnect, () -> false).close());
            assertEquals(1, e.peer().rank());
            assertTrue(e.getMessage().startsWith("rank 1 (127.0.0.1:") && e.getMessage().endsWith(
                    "did not connect in time"), e.getMessage());
        } finally {
            absent.close();
        }
    }

    @Test
    void anInterruptEndsAWaitingExchange() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        List<Future<String>> results = ring(2, GENEROUS, new AtomicBoolean(), (ring, rank) -> {
            if (rank == 1) {
                done.await(60, TimeUnit.SECONDS);
                return "idle";
            }
            waiting.countDown();
            try {
                ring.sum(values(0, 100, 0));
                return "no failure";
            } catch (InterruptedIOException e) {
                return e.getMessage() + " / interrupted: " + Thread.currentThread().isInterrupted();
            } finally {
                done.countDown();
            }
        });
        waiting.await();
        Thread.sleep(300);
        results.get(0).cancel(true);
        done.await(60, TimeUnit.SECONDS);
        assertEquals(0, done.getCount(), "the interrupted exchange did not end");
        assertEquals("idle", results.get(1).get());
    }

    @Test
    void cancellationEndsAWaitingExchangeAndBreaksTheRing() throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean();
        CountDownLatch joined = new CountDownLatch(2);
        CountDownLatch done = new CountDownLatch(1);
        List<Future<String>> results = ring(2, GENEROUS, cancelled, (ring, rank) -> {
            joined.countDown();
            if (rank == 1) {
                done.await(60, TimeUnit.SECONDS);
                return "idle";
            }
            try {
                ring.sum(values(0, 100, 0));
                return "no failure";
            } catch (InterruptedIOException e) {
                try {
                    ring.sum(new float[1]);
                    return "used again";
                } catch (IOException again) {
                    return e.getMessage() + " / " + again.getMessage();
                }
            } finally {
                done.countDown();
            }
        });
        joined.await();
        Thread.sleep(300);
        cancelled.set(true);
        assertEquals("cancelled during exchange 1, reduce step 1 of 1 / this ring failed in an earlier exchange; "
                + "join a new one", results.get(0).get());
    }

    @Test
    void workersWithBuffersOfDifferentLengthsFailSayingSo() throws Exception {
        List<Future<String>> results = ring(2, SHORT_IO, new AtomicBoolean(), (ring, rank) -> {
            try {
                ring.sum(new float[rank == 0 ? 10 : 12]);
                return "no failure";
            } catch (PeerLostException e) {
                return e.getMessage();
            }
        });
        String message = results.get(0).get();
        assertTrue(message.contains("is out of step") && message.contains("of 12 values, this worker expected")
                && message.contains("of 10 values"), message);
    }
}
