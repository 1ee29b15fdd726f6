package dev.cortado.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PhiloxTest {

    /** Known-answer vectors of Random123's kat_vectors for philox4x32 with 10 rounds. */
    @Test
    void matchesRandom123KnownAnswers() {
        int[] out = new int[4];
        Philox.block(0, 0, 0, 0, 0, 0, out);
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, out);
        Philox.block(-1, -1, -1, -1, -1, -1, out);
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}, out);
        Philox.block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, out);
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}, out);
    }

    @Test
    void fillUniformAgreesWithSingleDraws() {
        float[] values = new float[11];
        Philox.fillUniform(values, 42, 7, -2f, 3f);
        for (int i = 0; i < values.length; i++) {
            assertEquals(-2f + 5f * Philox.uniform(42, 7, i), values[i], 1e-6f);
            assertTrue(values[i] >= -2f && values[i] < 3f);
        }
    }

    @Test
    void uniformLooksUniform() {
        int n = 100_000;
        double sum = 0;
        int[] buckets = new int[10];
        for (int i = 0; i < n; i++) {
            float u = Philox.uniform(1, 0, i);
            sum += u;
            buckets[(int) (u * 10)]++;
        }
        assertEquals(0.5, sum / n, 0.005);
        for (int count : buckets) {
            assertEquals(n / 10.0, count, n / 10.0 * 0.05);
        }
    }
}
