package dev.cortado.spark;

import java.util.Arrays;

/** The last {@value #KEPT} durations of something, for a median. */
final class Timings {
    static final int KEPT = 4096;

    private final long[] nanos = new long[KEPT];
    private long count;

    void add(long duration) {
        nanos[(int) (count++ % KEPT)] = duration;
    }

    long count() {
        return count;
    }

    /** The median of the durations kept, in milliseconds; 0 when there are none. */
    double medianMillis() {
        int n = (int) Math.min(count, KEPT);
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return median / 1e6;
    }
}
