package dev.cortado.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.tensor.Shape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchLoaderTest {
    private static final Shape SAMPLE = Shape.of(1, 2, 3);

    private final Random random = new Random(0xBA7C);

    @AfterEach
    void noProducerThreadOutlivesATest() {
        assertEquals(List.of(), liveProducerThreads());
    }

    @Test
    void shuffledEpochServesEverySampleOnceInPartialLastBatch() {
        ArrayDataset data = indexedDataset(23);
        List<Served> batches = serveAll(data, 5, SampleOrder.shuffled(7, 2), 0);

        assertEquals(List.of(5, 5, 5, 5, 3), batches.stream().map(b -> b.samples().length).toList());
        assertEquals(List.of(0, 1, 2, 3, 4), batches.stream().map(Served::index).toList());
        int[] servedOrder = batches.stream().flatMapToInt(b -> Arrays.stream(b.samples())).toArray();
        assertArrayEquals(SampleOrder.shuffled(7, 2).indices(23), servedOrder);
        int[] sorted = servedOrder.clone();
        Arrays.sort(sorted);
        assertArrayEquals(SampleOrder.sequential().indices(23), sorted);
    }

    @Test
    void batchesHoldTheInputsAndLabelsOfTheirSamples() {
        ArrayDataset data = indexedDataset(31);
        int[] order = SampleOrder.shuffled(11, 0).indices(31);
        int size = data.sampleSize();
        try (BatchLoader loader = BatchLoader.open(data, 7, SampleOrder.shuffled(11, 0))) {
            int position = 0;
            while (loader.hasNext()) {
                Batch batch = loader.next();
                assertEquals(SAMPLE.prepend(batch.count()), batch.inputShape());
                for (int i = 0; i < batch.count(); i++, position++) {
                    int sample = order[position];
                    assertEquals(sample, batch.targets()[i]);
                    assertArrayEquals(Arrays.copyOfRange(data.inputs(), sample * size, (sample + 1) * size),
                            Arrays.copyOfRange(batch.inputs(), i * size, (i + 1) * size), "sample " + sample);
                }
            }
            assertEquals(31, position);
        }
    }

    @Test
    void sameSeedAndEpochServeTheSameBatchesAnotherEpochDoesNot() {
        ArrayDataset data = indexedDataset(50);
        List<Served> first = serveAll(data, 8, SampleOrder.shuffled(99, 4), 0);

        assertEquals(first, serveAll(data, 8, SampleOrder.shuffled(99, 4), 0));
        assertNotEquals(first, serveAll(data, 8, SampleOrder.shuffled(99, 5), 0));
    }

    @Test
    void sequentialOrderServesSamplesInIndexOrder() {
        List<Served> batches = serveAll(indexedDataset(10), 4, SampleOrder.sequential(), 0);
        assertEquals(List.of(new Served(0, List.of(0, 1, 2, 3)), new Served(1, List.of(4, 5, 6, 7)),
                new Served(2, List.of(8, 9))), batches);
    }

    @ParameterizedTest(name = "start={0}")
    @ValueSource(ints = {0, 1, 3, 4, 5})
    void startingAtABatchServesTheRestOfTheFullEpoch(int start) {
        ArrayDataset data = indexedDataset(37);
        List<Served> full = serveAll(data, 8, SampleOrder.shuffled(5, 1), 0);

        List<Served> resumed = serveAll(data, 8, SampleOrder.shuffled(5, 1), start);

        assertEquals(full.subList(start, full.size()), resumed);
    }

    @Test
    void batchLargerThanTheDatasetServesOneBatch() {
        ArrayDataset data = indexedDataset(3);
        try (BatchLoader loader = BatchLoader.open(data, 1000, SampleOrder.sequential())) {
            assertEquals(1, loader.batchCount());
            Batch batch = loader.next();
            assertEquals(3, batch.count());
            assertEquals(3 * data.sampleSize(), batch.inputs().length);
            assertFalse(loader.hasNext());
        }
    }

    @Test
    void emptyDatasetServesNothing() {
        try (BatchLoader loader = BatchLoader.open(indexedDataset(0), 4, SampleOrder.shuffled(1, 1))) {
            assertEquals(0, loader.batchCount());
            assertFalse(loader.hasNext());
            assertThrows(NoSuchElementException.class, loader::next);
        }
    }

    @Test
    void rejectsBadArguments() {
        ArrayDataset data = indexedDataset(10);
        var start = assertThrows(IllegalArgumentException.class,
                () -> BatchLoader.open(data, 4, SampleOrder.sequential(), 4));
        assertEquals("start batch 4 is outside 0..3 (10 samples in batches of 4)", start.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchLoader.open(data, 4, SampleOrder.sequential(), -1));
        assertThrows(IllegalArgumentException.class, () -> BatchLoader.open(data, 0, SampleOrder.sequential()));
    }

    @Test
    void batchCountRoundsUp() {
        assertEquals(0, BatchLoader.batchCount(0, 64));
        assertEquals(1, BatchLoader.batchCount(1, 64));
        assertEquals(157, BatchLoader.batchCount(10_000, 64));
        assertEquals(938, BatchLoader.batchCount(60_000, 64));
        assertEquals(2, BatchLoader.batchCount(Integer.MAX_VALUE, Integer.MAX_VALUE - 1));
    }

    @Test
    void servingAnEpochReusesTheRingOfBuffers() {
        ArrayDataset data = indexedDataset(601);
        Set<float[]> inputArrays = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<float[]> labelArrays = Collections.newSetFromMap(new IdentityHashMap<>());
        try (BatchLoader loader = BatchLoader.open(data, 3, SampleOrder.shuffled(3, 3))) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                inputArrays.add(batch.inputs());
                labelArrays.add(batch.targets());
            }
        }
        assertEquals(BatchLoader.PREFETCH + 1, inputArrays.size());
        assertEquals(BatchLoader.PREFETCH + 1, labelArrays.size());
    }

    @Test
    void aBatchIsHandedBackByTheNextCallOrClose() {
        BatchLoader loader = BatchLoader.open(indexedDataset(20), 4, SampleOrder.sequential());
        Batch second;
        try {
            Batch first = loader.next();
            assertEquals(0, first.index());
            second = loader.next();
            var e = assertThrows(IllegalStateException.class, first::inputs);
            assertTrue(e.getMessage().contains("handed back"), e.getMessage());
            assertThrows(IllegalStateException.class, first::targets);
            assertThrows(IllegalStateException.class, first::count);
            assertEquals(1, second.index());
        } finally {
            loader.close();
        }
        assertThrows(IllegalStateException.class, second::inputs);
        assertFalse(loader.hasNext());
        assertThrows(IllegalStateException.class, loader::next);
    }

    @Test
    void nextAfterTheLastBatchThrows() {
        try (BatchLoader loader = BatchLoader.open(indexedDataset(5), 5, SampleOrder.sequential())) {
            loader.next();
            assertFalse(loader.hasNext());
            assertThrows(NoSuchElementException.class, loader::next);
        }
    }

    /** While the consumer holds batch 0, the producer fills exactly PREFETCH more and then waits. */
    @Test
    void prefetchesABoundedNumberOfBatches() throws InterruptedException {
        CountingSource source = new CountingSource(indexedDataset(100));
        try (BatchLoader loader = BatchLoader.open(source, 4, SampleOrder.sequential())) {
            loader.next();
            int expected = 4 * (BatchLoader.PREFETCH + 1);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (source.copies.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(expected, source.copies.get());
            Thread.sleep(100);
            assertEquals(expected, source.copies.get(), "the producer must wait for a batch to be handed back");
            assertTrue(liveProducerThreads().stream().allMatch(Thread::isDaemon));
        }
    }

    @Test
    void closingEarlyStopsTheProducer() {
        BatchLoader loader = BatchLoader.open(indexedDataset(1000), 2, SampleOrder.shuffled(1, 1));
        loader.next();
        assertEquals(1, liveProducerThreads().size());
        assertTimeoutPreemptively(Duration.ofSeconds(10), loader::close);
        assertEquals(List.of(), liveProducerThreads());
        loader.close();
    }

    @Test
    void closingBeforeTheFirstBatchStopsTheProducer() {
        BatchLoader loader = BatchLoader.open(indexedDataset(1000), 2, SampleOrder.sequential());
        assertTimeoutPreemptively(Duration.ofSeconds(10), loader::close);
        assertEquals(List.of(), liveProducerThreads());
    }

    @Test
    void producerEndsAfterAFullEpoch() {
        try (BatchLoader loader = BatchLoader.open(indexedDataset(9), 2, SampleOrder.sequential())) {
            while (loader.hasNext()) {
                loader.next();
            }
        }
        assertEquals(List.of(), liveProducerThreads());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"runtime", "error"})
    void producerFailureSurfacesInTheConsumerAfterTheBatchesBeforeIt(String kind) {
        Throwable thrown = kind.equals("runtime") ? new IllegalStateException("disk on fire")
                : new OutOfMemoryError("disk on fire");
        // Sequential order, batches of 5: sample 12 is in batch 2.
        Dataset failing = new FailingSource(indexedDataset(30), 12, thrown);
        try (BatchLoader loader = BatchLoader.open(failing, 5, SampleOrder.sequential())) {
            assertEquals(0, loader.next().index());
            assertEquals(1, loader.next().index());
            BatchProducerException e = assertThrows(BatchProducerException.class, loader::next);
            assertSame(thrown, e.getCause());
            assertTrue(e.getMessage().contains("while preparing batch 2 of 6"), e.getMessage());
            assertTrue(e.getMessage().contains("disk on fire"), e.getMessage());
            assertSame(e, assertThrows(BatchProducerException.class, loader::next), "and again on the next call");
        }
    }

    @Test
    void parallelReadersFillTheSameBatchesAsOne() {
        ArrayDataset data = indexedDataset(57);
        List<float[]> one = inputsOfAll(data, 6, SampleOrder.shuffled(3, 1));
        List<float[]> many = inputsOfAll(data.readInParallel(5), 6, SampleOrder.shuffled(3, 1));
        assertEquals(one.size(), many.size());
        for (int b = 0; b < one.size(); b++) {
            assertArrayEquals(one.get(b), many.get(b), "batch " + b);
        }
        assertEquals(serveAll(data, 6, SampleOrder.shuffled(3, 1), 0), serveAllOf(data.readInParallel(5), 6,
                SampleOrder.shuffled(3, 1)));
    }

    @Test
    void withParallelReadersTheFirstBadSampleOfTheBatchIsReportedAsItIs() {
        // Sequential batches of 8: samples 13 and 10 are both in batch 1; 10 comes first in it.
        Dataset bad = new BadSamples(indexedDataset(30), Set.of(13, 10)).readInParallel(4);
        try (BatchLoader loader = BatchLoader.open(bad, 8, SampleOrder.sequential())) {
            loader.next();
            SampleReadException e = assertThrows(SampleReadException.class, loader::next);
            assertEquals("sample 10 is bad", e.getMessage());
        }
    }

    @Test
    void interruptedConsumerGetsAnExceptionAndKeepsItsInterruptStatus() {
        try (BatchLoader loader = BatchLoader.open(indexedDataset(10), 2, SampleOrder.sequential())) {
            Thread.currentThread().interrupt();
            var e = assertThrows(IllegalStateException.class, loader::next);
            assertTrue(e.getMessage().contains("interrupted while waiting for batch 0"), e.getMessage());
            assertTrue(Thread.interrupted());
        }
    }

    /** The samples (by label, which is the sample index) and index of one served batch. */
    private record Served(int index, List<Integer> sampleList) {
        int[] samples() {
            return sampleList.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private static List<Served> serveAll(ArrayDataset source, int batchSize, SampleOrder order, int start) {
        return serveAll(source, batchSize, order, start, Shard.WHOLE);
    }

    private static List<Served> serveAll(ArrayDataset source, int batchSize, SampleOrder order, int start,
                                         Shard shard) {
        List<Served> served = new ArrayList<>();
        try (BatchLoader loader = BatchLoader.open(source, batchSize, order, start, shard)) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                List<Integer> samples = new ArrayList<>();
                for (int i = 0; i < batch.count(); i++) {
                    samples.add((int) batch.targets()[i]);
                }
                served.add(new Served(batch.index(), samples));
            }
        }
        return served;
    }

    private static List<Served> serveAllOf(Dataset source, int batchSize, SampleOrder order) {
        List<Served> served = new ArrayList<>();
        try (BatchLoader loader = BatchLoader.open(source, batchSize, order)) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                List<Integer> samples = new ArrayList<>();
                for (int i = 0; i < batch.count(); i++) {
                    samples.add((int) batch.targets()[i]);
                }
                served.add(new Served(batch.index(), samples));
            }
        }
        return served;
    }

    private static List<float[]> inputsOfAll(Dataset source, int batchSize, SampleOrder order) {
        List<float[]> inputs = new ArrayList<>();
        try (BatchLoader loader = BatchLoader.open(source, batchSize, order)) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                inputs.add(Arrays.copyOf(batch.inputs(), batch.count() * source.sampleSize()));
            }
        }
        return inputs;
    }

    /** Random inputs; the label of each sample is its index, so batches show which samples they hold. */
    private ArrayDataset indexedDataset(int count) {
        float[] inputs = new float[count * (int) SAMPLE.size()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = random.nextFloat();
        }
        float[] labels = new float[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i;
        }
        return ArrayDataset.classification(inputs, labels, SAMPLE, Math.max(count, 1));
    }

    private static List<Thread> liveProducerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(BatchLoader.THREAD_NAME_PREFIX))
                .toList();
    }

    /** A source that counts the samples copied from it. */
    private static final class CountingSource implements Dataset {
        private final ArrayDataset data;
        final AtomicInteger copies = new AtomicInteger();

        CountingSource(ArrayDataset data) {
            this.data = data;
        }

        @Override
        public int count() {
            return data.count();
        }

        @Override
        public Shape sampleShape() {
            return data.sampleShape();
        }

        @Override
        public void copyInputs(int index, float[] dst, int dstOffset) {
            copies.incrementAndGet();
            data.copyInputs(index, dst, dstOffset);
        }

        @Override
        public Targets targets() {
            return data.targets();
        }

        @Override
        public void copyTarget(int index, float[] dst, int dstOffset) {
            data.copyTarget(index, dst, dstOffset);
        }
    }

    /** A source whose samples in {@code bad} cannot be read. */
    private record BadSamples(ArrayDataset data, Set<Integer> bad) implements Dataset {
        @Override
        public int count() {
            return data.count();
        }

        @Override
        public Shape sampleShape() {
            return data.sampleShape();
        }

        @Override
        public void copyInputs(int index, float[] dst, int dstOffset) {
            if (bad.contains(index)) {
                throw new SampleReadException("sample " + index + " is bad", null);
            }
            data.copyInputs(index, dst, dstOffset);
        }

        @Override
        public Targets targets() {
            return data.targets();
        }

        @Override
        public void copyTarget(int index, float[] dst, int dstOffset) {
            data.copyTarget(index, dst, dstOffset);
        }
    }

    /** A source whose sample {@code failAt} throws. */
    private record FailingSource(ArrayDataset data, int failAt, Throwable thrown) implements Dataset {
        @Override
        public int count() {
            return data.count();
        }

        @Override
        public Shape sampleShape() {
            return data.sampleShape();
        }

        @Override
        public void copyInputs(int index, float[] dst, int dstOffset) {
            if (index == failAt) {
                if (thrown instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) thrown;
            }
            data.copyInputs(index, dst, dstOffset);
        }

        @Override
        public Targets targets() {
            return data.targets();
        }

        @Override
        public void copyTarget(int index, float[] dst, int dstOffset) {
            data.copyTarget(index, dst, dstOffset);
        }
    }

    /**
     * The workers' shards of each batch are slices of the whole batch, in rank order, that together hold exactly its
     * samples; a last batch of fewer samples than workers leaves the first workers empty; a shard resumes at any
     * batch with the same slices.
     */
    @Test
    void shardsOfEveryBatchTogetherHoldTheWholeBatch() {
        ArrayDataset data = indexedDataset(23);
        SampleOrder order = SampleOrder.shuffled(3, 1);
        List<Served> whole = serveAll(data, 5, order, 0);
        int workers = 4;
        List<List<Served>> shards = new ArrayList<>();
        for (int r = 0; r < workers; r++) {
            shards.add(serveAll(data, 5, order, 0, new Shard(r, workers)));
        }
        for (int b = 0; b < whole.size(); b++) {
            int batch = b;
            List<Integer> joined = shards.stream().flatMap(s -> s.get(batch).sampleList().stream()).toList();
            assertEquals(whole.get(b), new Served(b, joined), "batch " + b);
        }
        // The last batch holds 3 samples: worker 0 gets none, workers 1 to 3 one each.
        assertEquals(List.of(0, 1, 1, 1), shards.stream().map(s -> s.get(4).sampleList().size()).toList());
        assertEquals(List.of(1, 1, 1, 2), shards.stream().map(s -> s.get(0).sampleList().size()).toList());
        assertEquals(shards.get(3).subList(2, 5), serveAll(data, 5, order, 2, new Shard(3, workers)));
    }

    @Test
    void aShardIsAWorkerOfAtLeastOne() {
        assertThrows(IllegalArgumentException.class, () -> new Shard(2, 2));
        assertThrows(IllegalArgumentException.class, () -> new Shard(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Shard(-1, 3));
        assertEquals(Shard.WHOLE, new Shard(0, 1));
    }
}
