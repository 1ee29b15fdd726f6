package dev.cortado.data;

import dev.cortado.tensor.Shape;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves one epoch of a {@link Dataset} as batches, prepared ahead on a background daemon thread (and on
 * {@link Dataset#readThreads()} - 1 more while it fills a batch, for data that is decoded or augmented as it is
 * read) so that the consumer does not wait for reading. It reads the dataset's {@link Dataset#forEpoch view} of
 * the epoch's order.
 *
 * <p>The epoch visits the samples in the {@link SampleOrder} given, {@code batchSize} at a time; the last batch
 * holds the remainder when the batch size does not divide the number of samples (nothing is dropped). A loader
 * can start at any batch index: batch {@code k} holds the same samples whether the epoch started at 0 or at
 * {@code k}, so a run resumes mid-epoch in the same order.
 *
 * <p>Buffers: the loader owns a ring of {@link #PREFETCH}{@code + 1} batches, allocated once; the producer fills
 * a batch only after the consumer has handed it back, so serving batches allocates no arrays. The rule for the
 * consumer: <b>a batch is valid until the next call to {@link #next()} or {@link #close()}</b>, which hand it
 * back (see {@link Batch}). While the consumer holds one batch, up to {@link #PREFETCH} others are prepared.
 *
 * <p>In data-parallel training a loader serves one worker's {@link Shard} of each batch: the batches are those of
 * the whole epoch ({@code batchSize} samples of the order each), and each holds only this worker's slice of them,
 * which may be empty (count 0) when a last batch has fewer samples than there are workers.
 *
 * <p>An exception in the producer is thrown from {@link #next()} as a {@link BatchProducerException} once the
 * batches before it have been served; a {@link SampleReadException} (a sample's file cannot be read) is thrown as
 * one, naming the file. {@link #close()} stops the producer and waits for it to end; always close
 * a loader (try-with-resources), also when stopping before the end of the epoch. A loader is used from one
 * consumer thread.
 */
public final class BatchLoader implements Iterator<Batch>, AutoCloseable {
    /** Number of batches prepared ahead of the one the consumer holds. */
    public static final int PREFETCH = 2;
    /** Names of producer threads start with this. */
    static final String THREAD_NAME_PREFIX = "cortado-batch-loader-";

    private static final AtomicLong THREADS = new AtomicLong();

    private final Dataset source;
    private final int batchSize;
    private final int batchCount;
    private final int startBatch;
    private final int[] order;
    private final Shard shard;
    private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(PREFETCH + 1);
    /** Filled batches in epoch order, then {@link #failed} if the producer failed; never blocks the producer. */
    private final BlockingQueue<Batch> ready = new ArrayBlockingQueue<>(PREFETCH + 2);
    private final Batch failed;
    private final Thread producer;

    // Written by the producer before it queues {@link #failed}, read by the consumer after taking it.
    private Throwable failure;
    private int failedBatch;

    // Consumer state.
    private int nextBatch;
    private Batch held;
    private boolean closed;
    private RuntimeException producerFailure;

    private BatchLoader(Dataset source, int batchSize, SampleOrder order, int startBatch, Shard shard) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.source = source.forEpoch(order);
        this.batchSize = batchSize;
        this.batchCount = batchCount(source.count(), batchSize);
        if (startBatch < 0 || startBatch > batchCount) {
            throw new IllegalArgumentException("start batch " + startBatch + " is outside 0.." + batchCount + " ("
                    + source.count() + " samples in batches of " + batchSize + ")");
        }
        this.startBatch = startBatch;
        this.nextBatch = startBatch;
        this.order = order.indices(source.count());
        this.shard = shard;
        Shape sampleShape = source.sampleShape();
        int capacity = shard.largestShare(Math.min(batchSize, source.count()));
        for (int i = 0; i <= PREFETCH; i++) {
            free.add(new Batch(this, sampleShape, source.targets().shape(), capacity));
        }
        this.failed = new Batch(this, sampleShape, source.targets().shape(), 0);
        this.producer = new Thread(this::produce, THREAD_NAME_PREFIX + THREADS.incrementAndGet());
        producer.setDaemon(true);
    }

    /** Starts serving the epoch from its first batch. */
    public static BatchLoader open(Dataset source, int batchSize, SampleOrder order) {
        return open(source, batchSize, order, 0);
    }

    /** Starts serving the epoch from batch {@code startBatch} (0 to {@link #batchCount(int, int)}). */
    public static BatchLoader open(Dataset source, int batchSize, SampleOrder order, int startBatch) {
        return open(source, batchSize, order, startBatch, Shard.WHOLE);
    }

    /**
     * Starts serving {@code shard}'s share of the epoch's batches of {@code batchSize} from batch {@code startBatch};
     * {@link #batchCount()} counts the whole batches.
     */
    public static BatchLoader open(Dataset source, int batchSize, SampleOrder order, int startBatch, Shard shard) {
        BatchLoader loader = new BatchLoader(source, batchSize, order, startBatch, shard);
        loader.producer.start();
        return loader;
    }

    /** Number of batches in an epoch of {@code samples}, the last one possibly partial. */
    public static int batchCount(int samples, int batchSize) {
        return (int) ((samples + (long) batchSize - 1) / batchSize);
    }

    /** Number of batches in the whole epoch, including those before the start batch. */
    public int batchCount() {
        return batchCount;
    }

    /** Whether batches remain to be served; false once closed. */
    @Override
    public boolean hasNext() {
        return !closed && nextBatch < batchCount;
    }

    /**
     * Hands back the batch returned by the previous call and returns the next one, waiting if it is not ready.
     *
     * @throws BatchProducerException if the producer failed while preparing this batch
     * @throws SampleReadException if a sample of this batch could not be read
     * @throws NoSuchElementException after the last batch
     * @throws IllegalStateException after {@link #close()}, or when the calling thread is interrupted while
     *     waiting (its interrupt status is kept)
     */
    @Override
    public Batch next() {
        if (closed) {
            throw new IllegalStateException("this batch loader is closed");
        }
        if (nextBatch >= batchCount) {
            throw new NoSuchElementException("all " + batchCount + " batches of this epoch have been served");
        }
        if (producerFailure != null) {
            throw producerFailure;
        }
        handBack();
        Batch batch;
        try {
            batch = ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for batch " + nextBatch, e);
        }
        if (batch == failed) {
            producerFailure = failure instanceof SampleReadException bad
                    ? new SampleReadException(bad.getMessage(), bad)
                    : new BatchProducerException("the batch producer failed while preparing batch " + failedBatch
                            + " of " + batchCount + ": " + failure, failure);
            throw producerFailure;
        }
        held = batch;
        nextBatch++;
        return batch;
    }

    /** Hands back the held batch, stops the producer and waits for its thread to end. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        held = null;
        producer.interrupt();
        boolean interrupted = false;
        while (producer.isAlive()) {
            try {
                producer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@code batch} is the one the consumer holds now. */
    boolean holds(Batch batch) {
        return held == batch;
    }

    private void handBack() {
        if (held != null) {
            // Never blocks: the ring has PREFETCH + 1 batches and the free queue as many places.
            free.add(held);
            held = null;
        }
    }

    private void produce() {
        int batchIndex = startBatch;
        try (BatchFiller filler = new BatchFiller(source, Math.min(batchSize, source.count()),
                Thread.currentThread().getName())) {
            int samples = source.count();
            for (; batchIndex < batchCount; batchIndex++) {
                Batch batch = free.take();
                int whole = Math.min(batchSize, samples - batchIndex * batchSize);
                int first = batchIndex * batchSize + shard.from(whole);
                int count = shard.to(whole) - shard.from(whole);
                filler.fill(batch.inputs, batch.targets, order, first, count);
                batch.filled(batchIndex, count);
                ready.put(batch);
            }
        } catch (InterruptedException e) {
            // close() asked the producer to stop.
        } catch (Throwable t) {
            failure = t;
            failedBatch = batchIndex;
            ready.add(failed);
        }
    }
}
