package dev.cortado.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The range splitter: every index once, exceptions back to the caller, nested and concurrent callers. */
class ParallelTest {

    /** Counts how often each index of [0, n) was handed to the body. */
    private static AtomicIntegerArray visits(int n, int grain) {
        AtomicIntegerArray counts = new AtomicIntegerArray(n);
        Parallel.forRange(n, grain, (from, to) -> {
            assertTrue(0 <= from && from < to && to <= n, "range [" + from + ", " + to + ") of " + n);
            for (int i = from; i < to; i++) {
                counts.incrementAndGet(i);
            }
        });
        return counts;
    }

    private static void assertEachOnce(AtomicIntegerArray counts) {
        for (int i = 0; i < counts.length(); i++) {
            assertEquals(1, counts.get(i), "index " + i + " of " + counts.length());
        }
    }

    @ParameterizedTest(name = "n={0} grain={1}")
    @CsvSource({"1, 1", "2, 1", "7, 1", "97, 3", "1000003, 1", "1000003, 65536", "31, 1000", "8, 4"})
    void handsEveryIndexToTheBodyOnce(int n, int grain) {
        for (int repeat = 0; repeat < 50; repeat++) {
            assertEachOnce(visits(n, grain));
        }
    }

    @Test
    void runsNothingForAnEmptyRange() {
        Parallel.forRange(0, 1, (from, to) -> {
            throw new AssertionError("called for an empty range");
        });
    }

    @Test
    void rangesDoNotDependOnWhichThreadRunsThem() {
        List<String> first = ranges();
        for (int repeat = 0; repeat < 20; repeat++) {
            assertEquals(first, ranges());
        }
    }

    private static List<String> ranges() {
        int n = 1009;
        String[] byStart = new String[n];
        Parallel.forRange(n, 1, (from, to) -> byStart[from] = from + ".." + to);
        List<String> all = new ArrayList<>();
        for (String r : byStart) {
            if (r != null) {
                all.add(r);
            }
        }
        return all;
    }

    @Test
    void rethrowsWhatABodyThrew() {
        IllegalStateException thrown = new IllegalStateException("chunk failed");
        for (int failing : new int[] {0, 500, 999}) {
            IllegalStateException caught = assertThrows(IllegalStateException.class,
                    () -> Parallel.forRange(1000, 1, (from, to) -> {
                        if (from <= failing && failing < to) {
                            throw thrown;
                        }
                    }));
            assertSame(thrown, caught);
            assertEachOnce(visits(1000, 1)); // the threads are ready for the next range
        }
    }

    /**
     * The chunk at 0 fails at once; every other chunk that starts before that failure is recorded waits for it
     * and fails later: the caller gets the first failure.
     */
    @Test
    void rethrowsTheFirstFailureNotALaterOne() {
        IllegalStateException first = new IllegalStateException("first");
        for (int repeat = 0; repeat < 2; repeat++) {
            CountDownLatch firstThrown = new CountDownLatch(1);
            IllegalStateException caught = assertThrows(IllegalStateException.class,
                    () -> Parallel.forRange(1000, 1, (from, to) -> {
                        if (from == 0) {
                            firstThrown.countDown();
                            throw first;
                        }
                        try {
                            firstThrown.await(10, TimeUnit.SECONDS);
                            // Long enough for the first chunk's thread to record its failure on a loaded machine.
                            Thread.sleep(500);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        throw new IllegalStateException("later, from " + from);
                    }));
            assertSame(first, caught);
        }
        assertEachOnce(visits(1000, 1));
    }

    /** A checked exception thrown past the compiler reaches the caller, wrapped, instead of being dropped. */
    @Test
    void wrapsACheckedExceptionABodyThrewSneakily() {
        assumeTrue(Parallel.threads() > 1, "on one core the body runs on the caller, which sees it unwrapped");
        Exception checked = new IOException("checked");
        RuntimeException caught = assertThrows(RuntimeException.class,
                () -> Parallel.forRange(1000, 1, (from, to) -> {
                    if (from <= 500 && 500 < to) {
                        ParallelTest.<RuntimeException>sneakyThrow(checked);
                    }
                }));
        assertSame(checked, caught.getCause());
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void nestedRangesRunOnTheirCaller() {
        int outer = 64;
        int inner = 1000;
        AtomicIntegerArray counts = new AtomicIntegerArray(outer * inner);
        Parallel.forRange(outer, 1, (from, to) -> {
            for (int o = from; o < to; o++) {
                int base = o * inner;
                Parallel.forRange(inner, 1, (f, t) -> {
                    for (int i = f; i < t; i++) {
                        counts.incrementAndGet(base + i);
                    }
                });
            }
        });
        assertEachOnce(counts);
    }

    @Test
    void callersOnSeveralThreadsAllFinish() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<AtomicIntegerArray>> results = new ArrayList<>();
            for (int task = 0; task < 40; task++) {
                int n = 10_007 + task;
                results.add(pool.submit(() -> visits(n, 1)));
            }
            for (Future<AtomicIntegerArray> result : results) {
                assertEachOnce(result.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void countsTheCallerAmongTheThreads() {
        assertEquals(Runtime.getRuntime().availableProcessors(), Parallel.threads());
    }
}
