package dev.cortado.data;

/**
 * One worker's share of every batch in data-parallel training: worker {@code rank} of {@code workers} takes a
 * contiguous slice of each batch of the epoch's shuffled order, so that the workers together see exactly the samples
 * one process would see in that batch, and a position in the run (epoch, batch) means the same samples whatever the
 * number of workers. A batch of {@code n} samples is split as evenly as possible: worker {@code r} takes positions
 * {@code floor(n * r / workers)} up to {@code floor(n * (r + 1) / workers)}, so shares differ by at most one sample,
 * and a batch with fewer samples than workers leaves some workers an empty share.
 *
 * @param rank this worker's number, {@code 0..workers-1}
 * @param workers the number of workers sharing each batch
 */
public record Shard(int rank, int workers) {
    /** The whole of every batch: training in one process. */
    public static final Shard WHOLE = new Shard(0, 1);

    public Shard {
        if (workers < 1 || rank < 0 || rank >= workers) {
            throw new IllegalArgumentException("a shard is worker 0..workers-1 of workers >= 1, got worker " + rank
                    + " of " + workers);
        }
    }

    /** The first position of this worker's share of a batch of {@code n} samples. */
    public int from(int n) {
        return (int) ((long) n * rank / workers);
    }

    /** The position after this worker's share of a batch of {@code n} samples. */
    public int to(int n) {
        return (int) ((long) n * (rank + 1) / workers);
    }

    /** The most samples this worker's share of a batch of {@code n} holds. */
    public int largestShare(int n) {
        return (int) (((long) n + workers - 1) / workers);
    }
}
