package dev.cortado.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.PoolStats;
import dev.cortado.backend.Backend;
import dev.cortado.backend.TransferStats;
import dev.cortado.data.ArrayDataset;
import dev.cortado.data.Augmentation;
import dev.cortado.data.DataInfo;
import dev.cortado.data.Dataset;
import dev.cortado.data.Normalization;
import dev.cortado.data.Preprocessing;
import dev.cortado.data.Shard;
import dev.cortado.data.Targets;
import dev.cortado.io.HostTensor;
import dev.cortado.model.ModelSpec;
import dev.cortado.tensor.Shape;
import dev.cortado.train.Checkpoint;
import dev.cortado.train.CheckpointException;
import dev.cortado.train.EpochResult;
import dev.cortado.train.NonFiniteLossException;
import dev.cortado.train.StepResult;
import dev.cortado.train.Throughput;
import dev.cortado.train.TrainingConfig;
import dev.cortado.train.TrainingConfig.OptimizerKind;
import dev.cortado.train.TrainingConfig.ScheduleKind;
import dev.cortado.train.TrainingPosition;
import dev.cortado.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoints and resumable training runs on one device: a run stopped or crashed at any step and resumed from
 * its checkpoint ends with bit-identical weights to an uninterrupted run; checkpoints hold everything (weights,
 * optimizer state, position, dropout counters, history) and refuse to continue another model, configuration or
 * dataset; a non-finite loss leaves the last good checkpoint in place.
 */
public abstract class TrainingRunSuite extends BackendSuiteSupport {
    /** A small conv net with dropout, so resuming must restore the dropout counters too. */
    private static final String SPEC = """
            {"name": "tiny", "input": [1, 7, 7], "layers": [
              {"type": "conv2d", "out": 3, "kernel": 3, "padding": 1}, {"type": "relu"},
              {"type": "maxpool2d", "kernel": 2}, {"type": "flatten"}, {"type": "dropout", "p": 0.3},
              {"type": "linear", "out": 5}]}""";
    private static final int TRAIN_SAMPLES = 67;
    private static final int TEST_SAMPLES = 23;

    @TempDir
    Path dir;

    private final ModelSpec spec = ModelSpec.parse(SPEC);
    private final ArrayDataset train = data(TRAIN_SAMPLES, 11);
    private final ArrayDataset test = data(TEST_SAMPLES, 12);

    private static ArrayDataset data(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] inputs = new float[count * 49];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = (float) random.nextDouble();
        }
        float[] labels = new float[count];
        for (int i = 0; i < count; i++) {
            labels[i] = random.nextInt(5);
        }
        return new ArrayDataset(inputs, labels, count, Shape.of(1, 7, 7), Targets.classes(5));
    }

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of(new TrainingConfig(OptimizerKind.SGD, 0.05f, 0.9f, 1e-4f, true, ScheduleKind.STEP, 1, 3,
                        10, 5, 0, 0)),
                Arguments.of(new TrainingConfig(OptimizerKind.ADAMW, 0.01f, 0f, 0.01f, false, ScheduleKind.COSINE, 1,
                        3, 8, 6, 0, 0)),
                Arguments.of(new TrainingConfig(OptimizerKind.ADAM, 0.01f, 0f, 0f, false, ScheduleKind.CONSTANT, 1, 2,
                        67, 7, 60, 20)),
                Arguments.of(new TrainingConfig(OptimizerKind.SGD, 0.05f, 0.9f, 0f, false, ScheduleKind.CONSTANT, 1, 2,
                        16, 8, 0, 0, 0.1f, 0.5f)));
    }

    /** Runs to the end, never stopping, and returns the final checkpoint. */
    private Checkpoint uninterrupted(TrainingConfig config, Path out, int checkpointEvery,
                                     TrainingRun.Listener listener) throws Exception {
        try (TrainingRun run = TrainingRun.start(backend(), spec, config, train, test, out)) {
            TrainingRun.Result result = run.run(listener, () -> false, checkpointEvery);
            assertTrue(result.complete());
            assertEquals(config.epochs(), result.epochs().size());
        }
        return Checkpoint.read(out.resolve(TrainingRun.LAST_CHECKPOINT));
    }

    private static void assertSameWeights(Checkpoint expected, Checkpoint actual) {
        assertEquals(expected.tensors().keySet(), actual.tensors().keySet());
        for (Map.Entry<String, HostTensor> e : expected.tensors().entrySet()) {
            assertArrayEquals(e.getValue().data(), actual.tensors().get(e.getKey()).data(), e.getKey());
        }
        assertEquals(expected.position(), actual.position());
        assertEquals(expected.dropoutCalls(), actual.dropoutCalls());
        for (int i = 0; i < expected.history().size(); i++) {
            EpochResult a = expected.history().get(i);
            EpochResult b = actual.history().get(i);
            assertEquals(a.trainLoss(), b.trainLoss(), 1e-9 * Math.abs(a.trainLoss()), "train loss of epoch " + i);
            assertEquals(a.samples(), b.samples());
            assertEquals(a.test().correct(), b.test().correct());
            assertEquals(a.test().loss(), b.test().loss(), 0.0);
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void stoppingAtEveryKindOfPlaceAndResumingGivesTheSameWeights(TrainingConfig config) throws Exception {
        Checkpoint reference = uninterrupted(config, dir.resolve("reference"), 0, new TrainingRun.Listener() { });
        int batches = (Math.min(TRAIN_SAMPLES, config.trainLimit() == 0 ? TRAIN_SAMPLES : config.trainLimit())
                + config.batchSize() - 1) / config.batchSize();
        // Stop after the first step, in the middle of the second epoch, and right at the end of the first epoch.
        for (long stopAfter : new long[] {1, batches + batches / 2, batches}) {
            Path out = dir.resolve("stopped-" + stopAfter);
            AtomicLong steps = new AtomicLong();
            try (TrainingRun run = TrainingRun.start(backend(), spec, config, train, test, out)) {
                TrainingRun.Listener counter = new TrainingRun.Listener() {
                    @Override
                    public void onStep(int epoch, int batch, int perEpoch, StepResult r,
                                       double imagesPerSecond) {
                        steps.incrementAndGet();
                    }
                };
                TrainingRun.Result result = run.run(counter, () -> steps.get() >= stopAfter, 0);
                assertFalse(result.complete());
                assertEquals(stopAfter, result.position().step());
            }
            Path last = out.resolve(TrainingRun.LAST_CHECKPOINT);
            assertEquals(stopAfter, Checkpoint.read(last).position().step());
            try (TrainingRun resumed = TrainingRun.resume(backend(), Checkpoint.read(last), last, spec, config,
                    train, test)) {
                assertTrue(resumed.run(new TrainingRun.Listener() { }, () -> false, 0).complete());
            }
            assertSameWeights(reference, Checkpoint.read(last));
        }
    }

    /**
     * A stop between two layers (in a step's forward or backward pass, or in the evaluation after an epoch) undoes
     * the step in flight, BatchNorm's running statistics and the dropout count included, and the resumed run ends
     * with the weights of one that never stopped.
     */
    @Test
    void aStopBetweenTwoLayersUndoesTheStepInFlightAndResumesToTheSameWeights() throws Exception {
        ModelSpec withBatchNorm = ModelSpec.parse("""
                {"name": "tiny-bn", "input": [1, 7, 7], "layers": [
                  {"type": "conv2d", "out": 3, "kernel": 3, "padding": 1}, {"type": "batchnorm"}, {"type": "relu"},
                  {"type": "flatten"}, {"type": "dropout", "p": 0.3}, {"type": "linear", "out": 5}]}""");
        TrainingConfig config = new TrainingConfig(OptimizerKind.SGD, 0.05f, 0.9f, 1e-4f, true, ScheduleKind.STEP, 1,
                2, 10, 5, 0, 0);
        Path referenceDir = dir.resolve("reference-bn");
        try (TrainingRun run = TrainingRun.start(backend(), withBatchNorm, config, train, test, referenceDir)) {
            assertTrue(run.run(new TrainingRun.Listener() { }, () -> false, 0).complete());
        }
        Checkpoint reference = Checkpoint.read(referenceDir.resolve(TrainingRun.LAST_CHECKPOINT));
        // The stop is asked once before the epoch, before each of the 5 steps of the layer stack (batch norm and
        // its ReLU run as one, fused) in forward and in backward, and between two steps: 1 + 11 questions per
        // step. The n-th question answers true.
        Map<Integer, Long> stepsDoneWhenStopped = Map.of(
                1 + 11 * 3 + 2, 3L,   // step 4's forward pass, before batch norm and its ReLU
                1 + 11 * 3 + 8, 3L,   // step 4's backward pass
                1 + 11 * 2 + 11, 3L,  // between steps 3 and 4, as before
                1 + 11 * 6 + 10 + 3, 7L); // the evaluation after the first epoch's 7 steps
        for (Map.Entry<Integer, Long> e : stepsDoneWhenStopped.entrySet()) {
            Path out = dir.resolve("stopped-at-question-" + e.getKey());
            AtomicLong asked = new AtomicLong();
            try (TrainingRun run = TrainingRun.start(backend(), withBatchNorm, config, train, test, out)) {
                TrainingRun.Result result = run.run(new TrainingRun.Listener() { },
                        () -> asked.incrementAndGet() >= e.getKey(), 0);
                assertFalse(result.complete());
                assertEquals(e.getValue(), result.position().step(), "question " + e.getKey());
            }
            Path last = out.resolve(TrainingRun.LAST_CHECKPOINT);
            try (TrainingRun resumed = TrainingRun.resume(backend(), Checkpoint.read(last), last, withBatchNorm,
                    config, train, test)) {
                assertTrue(resumed.run(new TrainingRun.Listener() { }, () -> false, 0).complete());
            }
            assertSameWeights(reference, Checkpoint.read(last));
        }
    }

    /**
     * Augmented and normalized training data: the checkpoint records the preprocessing, a run stopped in the middle
     * of its second epoch resumes to the weights of one that never stopped (the crops and flips are drawn from the
     * seed, the epoch and the sample), and a resume with other preprocessing is refused.
     */
    @Test
    void augmentedNormalizedDataResumesToTheSameWeightsAndOtherPreprocessingIsRefused() throws Exception {
        Normalization normalization = Normalization.of(train);
        Dataset augmented = train.augmented(new Augmentation(2, true)).readInParallel(3).normalized(normalization);
        Dataset normalizedTest = test.normalized(normalization);
        TrainingConfig config = new TrainingConfig(OptimizerKind.SGD, 0.05f, 0.9f, 0f, false, ScheduleKind.CONSTANT,
                1, 2, 10, 5, 0, 0);
        Path referenceDir = dir.resolve("reference-augmented");
        try (TrainingRun run = TrainingRun.start(backend(), spec, config, augmented, normalizedTest, referenceDir)) {
            assertTrue(run.run(new TrainingRun.Listener() { }, () -> false, 0).complete());
        }
        Checkpoint reference = Checkpoint.read(referenceDir.resolve(TrainingRun.LAST_CHECKPOINT));
        assertEquals(DataInfo.of(augmented), reference.data());
        assertEquals(new Preprocessing(normalization, new Augmentation(2, true)), reference.data().preprocessing());

        Path out = dir.resolve("stopped-augmented");
        AtomicLong steps = new AtomicLong();
        try (TrainingRun run = TrainingRun.start(backend(), spec, config, augmented, normalizedTest, out)) {
            TrainingRun.Listener counter = new TrainingRun.Listener() {
                @Override
                public void onStep(int epoch, int batch, int perEpoch, StepResult r, double imagesPerSecond) {
                    steps.incrementAndGet();
                }
            };
            assertFalse(run.run(counter, () -> steps.get() >= 10, 0).complete());
        }
        Path last = out.resolve(TrainingRun.LAST_CHECKPOINT);
        String refused = assertThrows(CheckpointException.class, () -> TrainingRun.resume(backend(),
                Checkpoint.read(last), last, spec, config, train.normalized(normalization), normalizedTest))
                .getMessage();
        assertTrue(refused.contains("augmentation: random crops with padding 2, horizontal flips vs none"), refused);
        try (TrainingRun resumed = TrainingRun.resume(backend(), Checkpoint.read(last), last, spec, config,
                augmented, normalizedTest)) {
            assertTrue(resumed.run(new TrainingRun.Listener() { }, () -> false, 0).complete());
        }
        assertSameWeights(reference, Checkpoint.read(last));
    }

    @Test
    void aCrashAfterAMidEpochCheckpointResumesToTheSameWeights() throws Exception {
        TrainingConfig config = configs().findFirst().map(a -> (TrainingConfig) a.get()[0]).orElseThrow();
        Path crashCopy = dir.resolve("crash").resolve("last.safetensors");
        Files.createDirectories(crashCopy.getParent());
        List<TrainingPosition> written = new ArrayList<>();
        Checkpoint reference = uninterrupted(config, dir.resolve("full"), 4, new TrainingRun.Listener() {
            @Override
            public void onCheckpoint(Path file, TrainingPosition position) {
                if (file.getFileName().toString().equals(TrainingRun.LAST_CHECKPOINT)) {
                    written.add(position);
                    if (position.step() == 12) {
                        copy(file, crashCopy);
                    }
                }
            }
        });
        // 7 batches per epoch: checkpoints before the first step, every 4 steps inside epochs, and at epoch ends.
        assertEquals(List.of(0L, 4L, 7L, 8L, 12L, 14L, 16L, 20L, 21L),
                written.stream().map(TrainingPosition::step).toList());
        Checkpoint crashed = Checkpoint.read(crashCopy);
        assertEquals(new TrainingPosition(1, 5, 12, TRAIN_SAMPLES), crashed.position());
        assertNotNull(crashed.partialEpoch());
        assertEquals(1, crashed.history().size());
        try (TrainingRun resumed = TrainingRun.resume(backend(), crashed, crashCopy, spec, config, train, test)) {
            resumed.run(new TrainingRun.Listener() { }, () -> false, 4);
        }
        assertSameWeights(reference, Checkpoint.read(crashCopy));
        assertTrue(Files.exists(crashCopy.resolveSibling(TrainingRun.epochCheckpointName(2))));
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aCheckpointHoldsWeightsOptimizerStatePositionAndCounters() throws Exception {
        TrainingConfig config = TrainingConfig.defaults().withEpochs(1);
        Checkpoint c = uninterrupted(config, dir, 0, new TrainingRun.Listener() { });
        assertEquals(spec, c.spec());
        assertEquals(config, c.config());
        assertEquals(new TrainingPosition(1, 0, 2, TRAIN_SAMPLES), c.position());
        assertEquals(Map.of(4, 2L), c.dropoutCalls());
        assertEquals(List.of("0.weight", "0.bias", "5.weight", "5.bias", "optimizer.0.weight.momentum_buffer",
                "optimizer.0.bias.momentum_buffer", "optimizer.5.weight.momentum_buffer",
                "optimizer.5.bias.momentum_buffer"), List.copyOf(c.tensors().keySet()));
        assertEquals(1, c.history().size());
        assertEquals(TEST_SAMPLES, c.history().get(0).test().count());
        assertTrue(Files.exists(dir.resolve("epoch-001.safetensors")));
        Path copy = dir.resolve("copy.safetensors");
        c.write(copy);
        Checkpoint back = Checkpoint.read(copy);
        assertSameWeights(c, back);
        assertEquals(c.config(), back.config());
        assertEquals(c.history().get(0).test().confusion()[3][3], back.history().get(0).test().confusion()[3][3]);
    }

    @Test
    void resumingRefusesAnotherModelConfigurationOrDataset() throws Exception {
        TrainingConfig config = TrainingConfig.defaults().withEpochs(1);
        uninterrupted(config, dir, 0, new TrainingRun.Listener() { });
        Path last = dir.resolve(TrainingRun.LAST_CHECKPOINT);
        Checkpoint c = Checkpoint.read(last);
        ModelSpec other = ModelSpec.parse(SPEC.replace("\"out\": 5", "\"out\": 6").replace("tiny", "wider"));
        String otherModel = assertThrows(CheckpointException.class,
                () -> TrainingRun.resume(backend(), c, last, other, config, train, test)).getMessage();
        assertTrue(otherModel.contains("from model 'tiny', not 'wider'"), otherModel);
        TrainingConfig otherLr = new TrainingConfig(OptimizerKind.SGD, 0.1f, 0.9f, 0f, false, ScheduleKind.CONSTANT,
                1, 1, 64, 42L, 0, 0);
        String otherConfig = assertThrows(CheckpointException.class,
                () -> TrainingRun.resume(backend(), c, last, spec, otherLr, train, test)).getMessage();
        assertTrue(otherConfig.contains("lr: 0.01 vs 0.1"), otherConfig);
        String otherData = assertThrows(CheckpointException.class,
                () -> TrainingRun.resume(backend(), c, last, spec, config, train.first(50), test)).getMessage();
        assertTrue(otherData.contains("made on 67 training samples, but the data now has 50"), otherData);
        // More epochs are allowed with a constant schedule: the run goes on.
        try (TrainingRun longer = TrainingRun.resume(backend(), c, last, spec, config.withEpochs(2), train, test)) {
            assertEquals(2, longer.run(new TrainingRun.Listener() { }, () -> false, 0).epochs().size());
        }
    }

    @Test
    void aNonFiniteLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
        float[] inputs = train.inputs().clone();
        // One sample of NaN pixels, met somewhere in the shuffled first epoch, makes that step's loss NaN.
        Arrays.fill(inputs, 30 * 49, 31 * 49, Float.NaN);
        ArrayDataset poisoned = new ArrayDataset(inputs, train.targetValues(), TRAIN_SAMPLES, train.sampleShape(), Targets.classes(5));
        TrainingConfig config = new TrainingConfig(OptimizerKind.SGD, 0.01f, 0.9f, 0f, false, ScheduleKind.CONSTANT,
                1, 2, 4, 3, 0, 0);
        try (TrainingRun run = TrainingRun.start(backend(), spec, config, poisoned, test, dir)) {
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                    () -> run.run(new TrainingRun.Listener() { }, () -> false, 2));
            assertTrue(e.getMessage().contains("step " + e.step()), e.getMessage());
            long kept = run.lastCheckpointPosition().step();
            assertTrue(kept <= e.step() && kept > e.step() - 2, "kept step " + kept + ", failed at " + e.step());
            assertEquals(kept, Checkpoint.read(run.lastCheckpoint()).position().step());
        }
    }

    @Test
    void weightsThatBecomeNonFiniteAreNotCheckpointedAndTheLastFiniteCheckpointIsKept() throws Exception {
        TrainingConfig config = new TrainingConfig(OptimizerKind.SGD, 0.01f, 0.9f, 0f, false, ScheduleKind.CONSTANT,
                1, 2, 4, 3, 0, 0);
        try (TrainingRun run = TrainingRun.start(backend(), spec, config, train, test, dir)) {
            // An update that overflows while the loss was still finite, as a huge gradient does.
            TrainingRun.Listener overflow = new TrainingRun.Listener() {
                @Override
                public void onStep(int epoch, int batch, int perEpoch, StepResult r, double imagesPerSecond) {
                    if (r.step() == 5) {
                        backend().fill(run.model().parameters().get(0).value(), Float.POSITIVE_INFINITY);
                    }
                }
            };
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> run.run(overflow, () -> false,
                    2));
            assertEquals("weights became NaN or infinite at epoch 1 after batch 6 (step 6): 0.weight (27 infinite "
                    + "of 27 values); lower the learning rate or check the data", e.getMessage());
            assertEquals(4, run.lastCheckpointPosition().step());
            Checkpoint kept = Checkpoint.read(run.lastCheckpoint());
            assertEquals(4, kept.position().step());
            assertEquals(java.util.Optional.empty(), kept.nonFinite());
        }
    }

    @Test
    void aCheckpointWithNonFiniteWeightsIsNotResumed() throws Exception {
        TrainingConfig config = TrainingConfig.defaults().withEpochs(1);
        Checkpoint good = uninterrupted(config, dir, 0, new TrainingRun.Listener() { });
        Map<String, HostTensor> tensors = new java.util.LinkedHashMap<>(good.tensors());
        float[] bias = tensors.get("5.bias").data().clone();
        bias[2] = Float.NaN;
        tensors.put("5.bias", new HostTensor(new int[] {5}, bias));
        Path poisoned = dir.resolve("poisoned.safetensors");
        new Checkpoint(good.spec(), good.config(), good.position(), good.history(), good.partialEpoch(),
                good.dropoutCalls(), tensors, true).write(poisoned);
        String message = assertThrows(CheckpointException.class, () -> TrainingRun.resume(backend(),
                Checkpoint.read(poisoned), poisoned, spec, config.withEpochs(2), train, test)).getMessage();
        assertEquals(poisoned + ": holds NaN or infinite values, which training cannot continue from: 5.bias (1 NaN "
                + "of 5 values); resume from an earlier checkpoint (epoch-NNN.safetensors) or start over", message);
    }

    /** What a long run must not accumulate, measured between epochs. */
    private record Footprint(long heapBytes, long liveBuffers, long liveBytes, long allocations, long openFiles,
                             int threads) {
    }

    private Footprint footprint() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        PoolStats pool = backend().pool().stats();
        String[] fds = new java.io.File("/proc/self/fd").list();
        return new Footprint(runtime.totalMemory() - runtime.freeMemory(), pool.liveBuffers(), pool.liveBytes(),
                pool.allocations(), fds == null ? -1 : fds.length, Thread.activeCount());
    }

    /**
     * A soak test: 40 short epochs in one process, in 4 runs each resumed from the last one's checkpoint, with a
     * checkpoint every 2 steps and an evaluation per epoch. From epoch to epoch the heap (after a collection), the
     * device buffers in use, the device allocations, the open files and the threads stay level, and closing a run
     * gives back every buffer it had. The model's checkpoint is 3.6 MB, so keeping one per epoch would show.
     */
    @Test
    void manyShortEpochsLeaveHeapDeviceBuffersOpenFilesAndThreadsLevel() throws Exception {
        ModelSpec wide = ModelSpec.parse("""
                {"name": "wide", "input": [1, 7, 7], "layers": [{"type": "flatten"}, {"type": "linear", "out": 8192},
                  {"type": "relu"}, {"type": "linear", "out": 5}]}""");
        Footprint before = footprint();
        List<Footprint> epochs = new ArrayList<>();
        TrainingRun.Listener measure = new TrainingRun.Listener() {
            @Override
            public void onEpoch(EpochResult result) {
                epochs.add(footprint());
            }
        };
        Path last = dir.resolve(TrainingRun.LAST_CHECKPOINT);
        for (int round = 1; round <= 4; round++) {
            TrainingConfig config = new TrainingConfig(OptimizerKind.SGD, 0.01f, 0.9f, 0f, false,
                    ScheduleKind.CONSTANT, 1, 10 * round, 16, 9, 0, 0);
            try (TrainingRun run = round == 1 ? TrainingRun.start(backend(), wide, config, train, test, dir)
                    : TrainingRun.resume(backend(), Checkpoint.read(last), last, wide, config, train, test)) {
                assertTrue(run.run(measure, () -> false, 2).complete());
            }
            Footprint closed = footprint();
            assertEquals(before.liveBuffers(), closed.liveBuffers(), "buffers left in use after run " + round);
            assertEquals(before.liveBytes(), closed.liveBytes(), "bytes left in use after run " + round);
        }
        assertEquals(40, epochs.size());
        Footprint settled = epochs.get(1);
        for (int i = 1; i < epochs.size(); i++) {
            Footprint f = epochs.get(i);
            String epoch = "epoch " + (i + 1) + ": " + f + " vs epoch 2: " + settled;
            assertEquals(settled.liveBuffers(), f.liveBuffers(), epoch);
            assertEquals(settled.liveBytes(), f.liveBytes(), epoch);
            assertEquals(settled.allocations(), f.allocations(), "device allocations grew, " + epoch);
            assertTrue(f.openFiles() <= settled.openFiles() + 2, "open files grew, " + epoch);
            assertTrue(f.threads() <= settled.threads() + 2, "threads grew, " + epoch);
        }
        long early = median(epochs.subList(1, 6).stream().mapToLong(Footprint::heapBytes).toArray());
        long late = median(epochs.subList(35, 40).stream().mapToLong(Footprint::heapBytes).toArray());
        assertTrue(late - early < 24L << 20, "the heap grew from " + (early >> 20) + " MiB (epochs 2-6) to "
                + (late >> 20) + " MiB (epochs 36-40)");
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * No host round trips inside a step: it uploads the batch's inputs and labels and downloads two floats (the
     * loss and the number of hits), whatever the model's layers and the optimizer do on the device.
     */
    @Test
    void aTrainingStepUploadsTheBatchAndDownloadsTwoFloats() throws Exception {
        TrainingConfig config = new TrainingConfig(OptimizerKind.SGD, 0.05f, 0.9f, 1e-4f, true, ScheduleKind.STEP,
                1, 2, 10, 5, 0, 0);
        List<String> steps = new ArrayList<>();
        TransferStats[] previous = new TransferStats[1];
        uninterrupted(config, dir.resolve("transfers"), 0, new TrainingRun.Listener() {
            @Override
            public void onStep(int epoch, int batch, int perEpoch, StepResult r, double imagesPerSecond) {
                TransferStats now = backend().transfers();
                // The first step of an epoch follows the evaluation and checkpoint of the one before.
                if (batch > 0) {
                    TransferStats step = now.since(previous[0]);
                    long batchBytes = (long) r.count() * (49 + 1) * Float.BYTES;
                    assertEquals(new TransferStats(2, batchBytes, 1, 2 * Float.BYTES), step,
                            "epoch " + epoch + " batch " + batch);
                    steps.add(epoch + "/" + batch);
                }
                previous[0] = now;
            }
        });
        assertEquals(2 * 6, steps.size(), "steps checked: " + steps);
    }

    /** The tiny net without dropout: data-parallel workers draw the same masks, which one process does not. */
    private static final String SPEC_WITHOUT_DROPOUT = SPEC.replace("{\"type\": \"dropout\", \"p\": 0.3},", "");

    /**
     * Workers that each train on their share of every batch and average their gradients end where one process
     * training on the whole batches ends, up to float summation order: with 2 workers, and with 4, where the last
     * batch of 3 samples leaves one worker an empty share. Only worker 0 writes checkpoints; the epochs' statistics
     * are those of all samples.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {2, 4})
    void dataParallelWorkersEndWithTheWeightsOfOneProcess(int workers) throws Exception {
        ModelSpec plain = ModelSpec.parse(SPEC_WITHOUT_DROPOUT);
        TrainingConfig config = new TrainingConfig(OptimizerKind.SGD, 0.05f, 0.9f, 1e-4f, false, ScheduleKind.COSINE,
                1, 2, 8, 5, 0, 0);
        Path single = dir.resolve("single");
        List<EpochResult> expected;
        try (TrainingRun run = TrainingRun.start(backend(), plain, config, train, test, single)) {
            expected = run.run(new TrainingRun.Listener() { }, () -> false, 0).epochs();
        }
        SharedMemoryExchange exchange = new SharedMemoryExchange(workers);
        ExecutorService threads = Executors.newFixedThreadPool(workers);
        List<Future<List<EpochResult>>> results = new ArrayList<>();
        try {
            for (int rank = 0; rank < workers; rank++) {
                int r = rank;
                results.add(threads.submit(() -> {
                    try (Backend own = open(device());
                         TrainingRun run = TrainingRun.start(own, plain, config, train, test, dir.resolve("w" + r))) {
                        run.dataParallel(new Shard(r, workers), exchange.worker(r));
                        return run.run(new TrainingRun.Listener() { }, () -> false, 3).epochs();
                    }
                }));
            }
            for (Future<List<EpochResult>> f : results) {
                List<EpochResult> epochs = f.get();
                for (int e = 0; e < expected.size(); e++) {
                    assertEquals(expected.get(e).samples(), epochs.get(e).samples());
                    assertEquals(expected.get(e).trainLoss(), epochs.get(e).trainLoss(), 1e-4, "train loss");
                    assertEquals(expected.get(e).test().correct(), epochs.get(e).test().correct());
                }
            }
        } finally {
            threads.shutdownNow();
        }
        Checkpoint one = Checkpoint.read(single.resolve(TrainingRun.LAST_CHECKPOINT));
        Checkpoint first = Checkpoint.read(dir.resolve("w0").resolve(TrainingRun.LAST_CHECKPOINT));
        assertEquals(one.position(), first.position());
        for (Map.Entry<String, HostTensor> e : one.tensors().entrySet()) {
            float[] want = e.getValue().data();
            float[] got = first.tensors().get(e.getKey()).data();
            float scale = 0;
            for (float v : want) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-4f * Math.max(scale, 1f), e.getKey() + "[" + i + "]");
            }
        }
        for (int rank = 1; rank < workers; rank++) {
            assertFalse(Files.exists(dir.resolve("w" + rank).resolve(TrainingRun.LAST_CHECKPOINT)),
                    "worker " + rank + " wrote a checkpoint");
        }
    }

    @Test
    void throughputReportsEveryRepetitionAndTheMedian() {
        Throughput.Measurement m = Throughput.measure(backend(), spec, new Throughput.Settings(16, 3, 1, 3, 1));
        assertEquals(3, m.training().length);
        assertEquals(3, m.inference().length);
        for (int i = 0; i < 3; i++) {
            assertTrue(m.training()[i] > 0 && m.inference()[i] > 0);
        }
        assertEquals(1, m.warmups());
        assertEquals(Throughput.median(m.training()), m.trainingMedian());
        assertEquals(2.5, Throughput.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void throughputWarmsUpForItsLeastTimeAndNoLessThanItsCount() {
        Duration least = Duration.ofMillis(300);
        long start = System.nanoTime();
        Throughput.Measurement m = Throughput.measure(backend(), spec,
                new Throughput.Settings(16, 3, 1, least, 2, 1));
        long elapsed = System.nanoTime() - start;
        assertTrue(m.warmups() >= 1, "warm-ups " + m.warmups());
        assertTrue(elapsed >= least.toNanos(), "measured in " + elapsed + " ns");
        assertEquals(2, m.training().length);
        assertThrows(IllegalArgumentException.class, () -> new Throughput.Settings(16, 3, 1, Duration.ofMillis(-1),
                2, 1));
    }
}
