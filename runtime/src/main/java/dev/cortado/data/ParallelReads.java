package dev.cortado.data;

/** A dataset that {@link BatchLoader}s read with a given number of threads; see {@link Dataset#readInParallel}. */
final class ParallelReads extends ForwardingDataset {
    private final int threads;

    ParallelReads(Dataset source, int threads) {
        super(source);
        this.threads = threads;
    }

    @Override
    Dataset wrap(Dataset newSource) {
        return new ParallelReads(newSource, threads);
    }

    @Override
    public int readThreads() {
        return threads;
    }
}
