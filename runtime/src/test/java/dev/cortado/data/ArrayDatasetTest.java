package dev.cortado.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.tensor.Shape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ArrayDatasetTest {
    private final Random random = new Random(0xDA7A);

    @Test
    void servesSamplesByIndex() {
        ArrayDataset data = randomDataset(7, Shape.of(1, 3, 2), 4);
        float[] dst = new float[9];
        Arrays.fill(dst, Float.NaN);

        data.copyInputs(5, dst, 2);

        assertArrayEquals(Arrays.copyOfRange(data.inputs(), 30, 36), Arrays.copyOfRange(dst, 2, 8));
        assertTrue(Float.isNaN(dst[1]) && Float.isNaN(dst[8]), "copies exactly one sample");
        float[] label = new float[1];
        data.copyTarget(5, label, 0);
        assertEquals(data.targetValues()[5], label[0]);
        assertEquals(6, data.sampleSize());
        assertEquals(4, data.classes());
    }

    @Test
    void firstTakesAPrefix() {
        ArrayDataset data = randomDataset(13, Shape.of(1, 2, 5), 3);

        assertEquals(0, data.first(0).count());
        ArrayDataset first = data.first(13);
        assertArrayEquals(data.inputs(), first.inputs());
        assertArrayEquals(data.targetValues(), first.targetValues());
        assertThrows(IllegalArgumentException.class, () -> data.first(14));
        assertThrows(IllegalArgumentException.class, () -> data.first(-1));
    }

    @Test
    void rejectsInconsistentSizes() {
        Shape shape = Shape.of(1, 2, 2);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ArrayDataset(new float[7], new float[2], 2, shape, Targets.classes(3)));
        assertEquals("2 samples of shape [1, 2, 2] with 3 classes need 8 inputs and 2 target values, got 7 and 2",
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ArrayDataset(new float[8], new float[3], 2, shape, Targets.classes(3)));
        assertThrows(IllegalArgumentException.class, () -> Targets.classes(0));
    }

    @Test
    void rejectsLabelsThatAreNotClassIndices() {
        Shape shape = Shape.of(1, 1, 1);
        for (float bad : new float[] {-1f, 3f, 1.5f, Float.NaN}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> ArrayDataset.classification(new float[2], new float[] {0f, bad}, shape, 3));
            assertEquals("label " + bad + " of sample 1 is not a class index in 0..2", e.getMessage());
        }
    }

    @Test
    void describesItselfWithoutTheData() {
        assertEquals("ArrayDataset[count=3, sampleShape=[1, 2, 2], 5 classes]",
                randomDataset(3, Shape.of(1, 2, 2), 5).toString());
    }

    @Test
    void regressionTargetsAreServedPerSample() {
        ArrayDataset data = ArrayDataset.regression(new float[] {1, 2, 3, 4, 5, 6}, new float[] {10, 11, 20, 21,
                30, 31}, Shape.of(2), Shape.of(2));
        assertEquals(3, data.count());
        assertEquals(Targets.values(2), data.targets());
        assertEquals(0, data.classes());
        float[] target = new float[3];
        data.copyTarget(2, target, 1);
        assertArrayEquals(new float[] {0, 30, 31}, target);
        var e = assertThrows(IllegalArgumentException.class, () -> ArrayDataset.regression(new float[4],
                new float[5], Shape.of(2), Shape.of(2)));
        assertEquals("5 target values are not a whole number of targets of shape [2]", e.getMessage());
    }

    @Test
    void aLimitIsAViewOfTheFirstSamples() {
        ArrayDataset data = randomDataset(9, Shape.of(1, 1, 2), 3);
        Dataset first = data.limit(4);
        assertEquals(4, first.count());
        assertEquals(data.targets(), first.targets());
        float[] sample = new float[2];
        first.copyInputs(3, sample, 0);
        assertArrayEquals(Arrays.copyOfRange(data.inputs(), 6, 8), sample);
        assertThrows(IndexOutOfBoundsException.class, () -> first.copyInputs(4, sample, 0));
        assertEquals(data, data.limit(0));
        assertEquals(data, data.limit(9));
    }

    private ArrayDataset randomDataset(int count, Shape sampleShape, int classes) {
        float[] inputs = new float[count * (int) sampleShape.size()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = random.nextFloat();
        }
        float[] labels = new float[count];
        for (int i = 0; i < count; i++) {
            labels[i] = random.nextInt(classes);
        }
        return ArrayDataset.classification(inputs, labels, sampleShape, classes);
    }
}
