package dev.cortado.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.tensor.Shape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DatasetTest {
    private final Random random = new Random(0xDA7A);

    @Test
    void servesSamplesByIndex() {
        Dataset data = randomDataset(7, Shape.of(1, 3, 2), 4);
        float[] dst = new float[9];
        Arrays.fill(dst, Float.NaN);

        data.copyInputs(5, dst, 2);

        assertArrayEquals(Arrays.copyOfRange(data.inputs(), 30, 36), Arrays.copyOfRange(dst, 2, 8));
        assertTrue(Float.isNaN(dst[1]) && Float.isNaN(dst[8]), "copies exactly one sample");
        assertEquals(data.labels()[5], data.label(5));
        assertEquals(6, data.sampleSize());
    }

    @Test
    void firstTakesAPrefix() {
        Dataset data = randomDataset(13, Shape.of(1, 2, 5), 3);

        assertEquals(0, data.first(0).count());
        Dataset first = data.first(13);
        assertArrayEquals(data.inputs(), first.inputs());
        assertArrayEquals(data.labels(), first.labels());
        assertThrows(IllegalArgumentException.class, () -> data.first(14));
        assertThrows(IllegalArgumentException.class, () -> data.first(-1));
    }

    @Test
    void rejectsInconsistentSizes() {
        Shape shape = Shape.of(1, 2, 2);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(new float[7], new float[2], 2, shape, 3));
        assertEquals("2 samples of shape [1, 2, 2] need 8 inputs and 2 labels, got 7 and 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dataset(new float[8], new float[3], 2, shape, 3));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(new float[8], new float[2], 2, shape, 0));
    }

    @Test
    void rejectsLabelsThatAreNotClassIndices() {
        Shape shape = Shape.of(1, 1, 1);
        for (float bad : new float[] {-1f, 3f, 1.5f, Float.NaN}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> new Dataset(new float[2], new float[] {0f, bad}, 2, shape, 3));
            assertEquals("label " + bad + " of sample 1 is not a class index in 0..2", e.getMessage());
        }
    }

    @Test
    void describesItselfWithoutTheData() {
        assertEquals("Dataset[count=3, sampleShape=[1, 2, 2], classes=5]",
                randomDataset(3, Shape.of(1, 2, 2), 5).toString());
    }

    private Dataset randomDataset(int count, Shape sampleShape, int classes) {
        float[] inputs = new float[count * (int) sampleShape.size()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = random.nextFloat();
        }
        float[] labels = new float[count];
        for (int i = 0; i < count; i++) {
            labels[i] = random.nextInt(classes);
        }
        return new Dataset(inputs, labels, count, sampleShape, classes);
    }
}
