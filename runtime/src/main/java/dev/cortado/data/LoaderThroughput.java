package dev.cortado.data;

/**
 * How many samples per second a {@link BatchLoader} serves from a dataset when nothing else waits for them: the
 * rate at which reading (decoding, augmenting, normalizing) can feed training. Each repetition opens a loader on
 * a shuffled epoch (so augmentation runs, keyed by the repetition as the epoch) and takes batches from it as fast
 * as they come.
 */
public final class LoaderThroughput {
    private LoaderThroughput() {
    }

    /**
     * Samples per second of each counted repetition, in run order.
     *
     * @param batchSize samples per batch
     * @param batches batches per repetition (fewer when an epoch has fewer)
     * @param warmups repetitions run first and not counted (JIT compilation, caches)
     * @param repetitions counted repetitions
     * @param seed the seed of the shuffled order and of augmentation
     */
    public static double[] measure(Dataset data, int batchSize, int batches, int warmups, int repetitions,
                                   long seed) {
        if (batches < 1 || warmups < 0 || repetitions < 1) {
            throw new IllegalArgumentException("need batches and repetitions >= 1 and warm-ups >= 0, got " + batches
                    + ", " + repetitions + ", " + warmups);
        }
        double[] rates = new double[repetitions];
        int total = warmups + repetitions;
        for (int rep = 0; rep < total; rep++) {
            long samples = 0;
            long start = System.nanoTime();
            try (BatchLoader loader = BatchLoader.open(data, batchSize, SampleOrder.shuffled(seed, rep))) {
                for (int b = 0; b < batches && loader.hasNext(); b++) {
                    samples += loader.next().count();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (rep >= warmups) {
                rates[rep - warmups] = samples / Math.max(seconds, 1e-9);
            }
        }
        return rates;
    }
}
