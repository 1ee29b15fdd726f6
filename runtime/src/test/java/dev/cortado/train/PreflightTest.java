package dev.cortado.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.Backend;
import dev.cortado.data.ArrayDataset;
import dev.cortado.data.Dataset;
import dev.cortado.data.Targets;
import dev.cortado.device.Device;
import dev.cortado.device.DeviceInfo;
import dev.cortado.device.DeviceKind;
import dev.cortado.model.ModelSpec;
import dev.cortado.model.ModelSpecException;
import dev.cortado.tensor.MemoryOnlyBackend;
import dev.cortado.tensor.Shape;
import dev.cortado.train.PreflightException.Problem;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every misfit of data, model, sizes and memory that the probes found after an epoch is found before step 0. */
class PreflightTest {
    private static final Backend GPU = new MemoryOnlyBackend(DeviceInfo.available(new Device(DeviceKind.CUDA, 0),
            "a 64 MiB GPU", true, 64L << 20, 1, Map.of()));
    private static final TrainingConfig CONFIG = TrainingConfig.defaults();

    private static ArrayDataset images(int count, int side, int classes) {
        return new ArrayDataset(new float[count * side * side], new float[count], count, Shape.of(1, side, side), Targets.classes(classes));
    }

    private static ModelSpec spec(String layers) {
        return ModelSpec.parse("{\"name\": \"m\", \"input\": [1, 28, 28], \"layers\": [" + layers + "]}");
    }

    private static PreflightException failure(ModelSpec spec, ArrayDataset train, ArrayDataset test) {
        return assertThrows(PreflightException.class, () -> Preflight.check(GPU, spec, CONFIG, train, test));
    }

    @Test
    void theBuiltInModelsFitFashionMnist() {
        for (String name : ModelSpec.BUILT_INS) {
            Preflight.check(GPU, ModelSpec.builtIn(name), CONFIG, images(100, 28, 10), images(20, 28, 10));
        }
    }

    @Test
    void samplesOfAnotherShapeThanTheModelsInputAreRefused() {
        PreflightException e = failure(ModelSpec.builtIn("lenet5"), images(100, 32, 10), null);
        assertEquals(Problem.MODEL, e.problem());
        assertEquals("model 'lenet5' takes samples of [1, 28, 28], but the training data's are [1, 32, 32]: give "
                + "the model spec \"input\": [1, 32, 32] and layers that fit it, or use data of [1, 28, 28] samples",
                e.getMessage());
        ModelSpec flat = ModelSpec.parse("{\"name\": \"flat\", \"input\": [784], \"layers\": [{\"type\": \"linear\", "
                + "\"out\": 10}]}");
        assertEquals("model 'flat' takes samples of [784], but the training data's are [1, 28, 28]: give the model "
                + "spec \"input\": [1, 28, 28] (the same values in another shape) and a flatten layer where it needs "
                + "one, or use data of [784] samples", failure(flat, images(100, 28, 10), null).getMessage());
    }

    @Test
    void aTestSplitUnlikeTheTrainingSplitIsRefused() {
        PreflightException e = failure(ModelSpec.builtIn("mlp"), images(100, 28, 10), images(20, 32, 10));
        assertEquals(Problem.DATA, e.problem());
        assertEquals("the test data has samples of [1, 32, 32] with 10 classes, the training data [1, 28, 28] with "
                + "10 classes: both splits must have samples of one shape and the same targets", e.getMessage());
    }

    @Test
    void outputsThatAreNotOnePerClassAreRefused() {
        ArrayDataset data = images(100, 28, 10);
        assertEquals("model 'm' gives 1000 outputs per sample, but the training data has 10 classes: make its last "
                + "layer, layers[1] (linear), give 10", failure(spec("{\"type\": \"flatten\"}, "
                + "{\"type\": \"linear\", \"out\": 1000}"), data, null).getMessage());
        assertEquals("model 'm' gives 5 outputs per sample, but the training data has 10 classes: make its last "
                + "layer, layers[2] (relu), give 10 (\"out\": 10)", failure(spec("{\"type\": \"flatten\"}, "
                + "{\"type\": \"linear\", \"out\": 5}, {\"type\": \"relu\"}"), data, null).getMessage());
        PreflightException conv = failure(spec("{\"type\": \"conv2d\", \"out\": 6, \"kernel\": 5}"), data, null);
        assertEquals(Problem.MODEL, conv.problem());
        assertEquals("model 'm' ends in layers[0] (conv2d), whose output for a sample is [6, 24, 24]; a classifier "
                + "of the training data's 10 classes needs 10 values: end the model with a flatten and a linear layer "
                + "with \"out\": 10", conv.getMessage());
    }

    @Test
    void tensorsLargerThanATensorCanHoldNameTheirLayer() {
        ArrayDataset data = images(100, 28, 10);
        PreflightException huge = failure(spec("{\"type\": \"flatten\"}, {\"type\": \"linear\", \"out\": "
                + "2147483647}, {\"type\": \"linear\", \"out\": 10}"), data, null);
        assertEquals(Problem.MODEL, huge.problem());
        assertEquals("layers[1] (linear) of model 'm' would hold 1,685,774,662,895 parameters for its input [784]: "
                + "make it smaller (one tensor holds at most 2,147,483,639 values)", huge.getMessage());
        // Small enough for one sample, too large for a batch of 64.
        assertEquals("layers[0] (conv2d) of model 'm' would output [64, 100000, 28, 28] for a batch of 64, "
                + "5,017,600,000 values: lower the batch size (one tensor holds at most 2,147,483,639 values)",
                failure(spec("{\"type\": \"conv2d\", \"out\": 100000, \"kernel\": 1}, {\"type\": \"flatten\"}, "
                        + "{\"type\": \"linear\", \"out\": 10}"), data, null).getMessage());
        // A spec whose output overflows for one sample is refused when it is read, naming the layer.
        String conv = assertThrows(ModelSpecException.class, () -> spec("{\"type\": \"conv2d\", \"out\": "
                + "2147483647, \"kernel\": 5}, {\"type\": \"flatten\"}, {\"type\": \"linear\", \"out\": 10}"))
                .getMessage();
        assertEquals("model spec: layers[1] (flatten): its output for one sample of input [1, 2147483647, 24, 24] "
                + "has more values than a tensor can hold (integer overflow)", conv);
    }

    /**
     * On the CPU the model shares the Java heap with the data, so what the data holds counts: a dataset that reads
     * its samples when asked holds none of them, however many, while one holding a float a value would not fit.
     */
    @Test
    void onTheCpuTheDataCountsForWhatItHolds() {
        Backend cpu = new MemoryOnlyBackend(DeviceInfo.available(new Device(DeviceKind.CPU, 0), "a CPU", false, 0,
                1, Map.of()));
        int count = 1_000_000_000; // as floats, 3 TB: more than any heap
        Dataset readWhenAsked = new LazyImages(count) {
            @Override
            public long heldBytes() {
                return 0;
            }
        };
        Preflight.check(cpu, ModelSpec.builtIn("lenet5"), CONFIG, readWhenAsked, null);
        Dataset asFloats = new LazyImages(count);
        assertEquals(4L * count * (28 * 28 + 1), asFloats.heldBytes());
        PreflightException e = assertThrows(PreflightException.class,
                () -> Preflight.check(cpu, ModelSpec.builtIn("lenet5"), CONFIG, asFloats, null));
        assertEquals(Problem.MEMORY, e.problem());
        assertTrue(e.getMessage().contains("(the Java heap's maximum less the data)"), e.getMessage());
        assertEquals(0, readWhenAsked.limit(10).heldBytes(), "a wrapper holds what its source does");
    }

    /** Grey 28 x 28 images of ten classes, made up when asked for. */
    private static class LazyImages implements Dataset {
        private final int count;

        LazyImages(int count) {
            this.count = count;
        }

        @Override
        public int count() {
            return count;
        }

        @Override
        public Shape sampleShape() {
            return Shape.of(1, 28, 28);
        }

        @Override
        public Targets targets() {
            return Targets.classes(10);
        }

        @Override
        public void copyInputs(int index, float[] dst, int dstOffset) {
            Arrays.fill(dst, dstOffset, dstOffset + sampleSize(), index % 7 / 7f);
        }

        @Override
        public void copyTarget(int index, float[] dst, int dstOffset) {
            dst[dstOffset] = index % 10;
        }
    }

    @Test
    void aBatchThatNeedsMoreMemoryThanTheDeviceHasIsRefused() {
        TrainingConfig big = new TrainingConfig(TrainingConfig.OptimizerKind.SGD, 0.01f, 0.9f, 0f, false,
                TrainingConfig.ScheduleKind.CONSTANT, 1, 1, 4096, 1, 0, 0);
        PreflightException e = assertThrows(PreflightException.class, () -> Preflight.check(GPU,
                ModelSpec.builtIn("lenet5"), big, images(10_000, 28, 10), null));
        assertEquals(Problem.MEMORY, e.problem());
        assertEquals("model 'lenet5' needs at least 115 MiB on cuda:0 for batches of 4096 (1 MiB of parameters, "
                + "gradients and optimizer state, 115 MiB of activations), more than the 64 MiB it has: lower the "
                + "batch size or use a smaller model", e.getMessage());
        PreflightException wide = assertThrows(PreflightException.class, () -> Preflight.check(GPU,
                spec("{\"type\": \"flatten\"}, {\"type\": \"linear\", \"out\": 200000}, {\"type\": \"linear\", "
                        + "\"out\": 10}"), CONFIG, images(100, 28, 10), null));
        assertEquals("model 'm' needs at least 1.8 GiB on cuda:0 for batches of 64 (1.8 GiB of parameters, "
                + "gradients and optimizer state, 50 MiB of activations), more than the 64 MiB it has: use a "
                + "smaller model or lower the batch size", wide.getMessage());
    }
}
