package dev.cortado.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.tensor.Shape;
import org.junit.jupiter.api.Test;

class NormalizationTest {

    @Test
    void computesEachChannelsMeanAndStandardDeviation() {
        // Two samples of two channels of two values: channel 0 holds 1, 3, 5, 7; channel 1 holds 2 everywhere.
        ArrayDataset data = ArrayDataset.classification(new float[] {1, 3, 2, 2, 5, 7, 2, 2}, new float[] {0, 1},
                Shape.of(2, 1, 2), 2);
        Normalization n = Normalization.of(data.readInParallel(2));
        assertArrayEquals(new float[] {4, 2}, n.mean());
        assertArrayEquals(new float[] {(float) Math.sqrt(5), 1}, n.std(), "a constant channel is only shifted");

        Dataset normalized = data.normalized(n);
        float[] x = new float[4];
        normalized.copyInputs(1, x, 0);
        assertArrayEquals(new float[] {(5 - 4) / (float) Math.sqrt(5), (7 - 4) / (float) Math.sqrt(5), 0, 0}, x);
        assertEquals(new Preprocessing(n, null), normalized.preprocessing());
        assertThrows(IllegalArgumentException.class, () -> normalized.normalized(n), "normalized once");
    }

    @Test
    void eachFeatureOfATableIsAChannel() {
        ArrayDataset table = ArrayDataset.regression(new float[] {1, 10, 3, 30}, new float[] {0, 1}, Shape.of(2),
                Shape.of(1));
        Normalization n = Normalization.of(table);
        assertArrayEquals(new float[] {2, 20}, n.mean());
        assertArrayEquals(new float[] {1, 10}, n.std());
    }

    @Test
    void parsesMeansThenStandardDeviationsAndChecksThem() {
        Normalization n = Normalization.parse("0.5, 0.4,0.3,0.25,0.2,0.1");
        assertArrayEquals(new float[] {0.5f, 0.4f, 0.3f}, n.mean());
        assertArrayEquals(new float[] {0.25f, 0.2f, 0.1f}, n.std());
        assertEquals("mean [0.5, 0.4, 0.3], std [0.25, 0.2, 0.1]", n.describe());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Normalization.parse("0.5,0.1,0.2"))
                .getMessage().contains("an even count"));
        assertThrows(IllegalArgumentException.class, () -> Normalization.parse("0.5,zero"));
        assertThrows(IllegalArgumentException.class, () -> Normalization.parse("0.5,0"));
        var e = assertThrows(IllegalArgumentException.class, () -> n.checkFits(Shape.of(1, 28, 28)));
        assertEquals("a normalization of 3 channels does not fit samples of [1, 28, 28], which have 1",
                e.getMessage());
    }
}
