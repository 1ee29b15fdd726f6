package dev.cortado.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cortado.random.Philox;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SampleOrderTest {

    @Test
    void sequentialIsIndexOrder() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, SampleOrder.sequential().indices(5));
        assertArrayEquals(new int[0], SampleOrder.sequential().indices(0));
    }

    @ParameterizedTest(name = "count={0}")
    @ValueSource(ints = {0, 1, 2, 7, 97, 1000, 60_000})
    void shuffledIsAPermutation(int count) {
        int[] order = SampleOrder.shuffled(12345, 3).indices(count);
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        assertArrayEquals(SampleOrder.sequential().indices(count), sorted);
    }

    @Test
    void sameSeedAndEpochGiveTheSameOrderDifferentOnesDoNot() {
        int[] order = SampleOrder.shuffled(42, 7).indices(1009);
        assertArrayEquals(order, SampleOrder.shuffled(42, 7).indices(1009));
        assertFalse(Arrays.equals(order, SampleOrder.shuffled(42, 8).indices(1009)), "another epoch");
        assertFalse(Arrays.equals(order, SampleOrder.shuffled(43, 7).indices(1009)), "another seed");
        assertFalse(Arrays.equals(order, SampleOrder.sequential().indices(1009)), "not index order");
    }

    /**
     * Pins the algorithm (a change would change every run's batches and break resumed runs) to values that
     * runtime/src/test/python/sample_order.py computes from the Javadoc of {@link SampleOrder.Shuffled} alone.
     */
    @Test
    void shuffleIsPinned() {
        assertArrayEquals(new int[] {6, 7, 4, 5, 1, 9, 8, 0, 3, 2}, SampleOrder.shuffled(42, 0).indices(10));
        assertArrayEquals(new int[] {2, 0, 6, 9, 3, 5, 8, 4, 7, 1},
                SampleOrder.shuffled(-1L, Long.MAX_VALUE).indices(10));
    }

    /** Every one of the 6 orders of 3 samples is equally likely over many epochs. */
    @Test
    void shuffleIsUnbiased() {
        int epochs = 60_000;
        Map<String, Integer> seen = new HashMap<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            seen.merge(Arrays.toString(SampleOrder.shuffled(9, epoch).indices(3)), 1, Integer::sum);
        }
        assertEquals(6, seen.size());
        for (int n : seen.values()) {
            assertEquals(epochs / 6.0, n, epochs / 6.0 * 0.05, seen.toString());
        }
    }

    @Test
    void wordsComeFromConsecutivePhiloxBlocks() {
        long key = 0x0123456789ABCDEFL;
        long stream = 0xFEDCBA9876543210L;
        ShuffleWords words = new ShuffleWords(key, stream);
        int[] block = new int[4];
        for (int b = 0; b < 3; b++) {
            Philox.block(b, 0, (int) stream, (int) (stream >>> 32), (int) key, (int) (key >>> 32), block);
            for (int w = 0; w < 4; w++) {
                assertEquals(block[w], words.next(), "block " + b + " word " + w);
            }
        }
    }

    @Test
    void drawsStayBelowTheirBound() {
        ShuffleWords words = new ShuffleWords(3, 4);
        for (int bound : new int[] {1, 2, 3, 1 << 30, Integer.MAX_VALUE, 60_000}) {
            for (int i = 0; i < 1000; i++) {
                int draw = words.below(bound);
                if (draw < 0 || draw >= bound) {
                    throw new AssertionError("draw " + draw + " outside [0, " + bound + ")");
                }
            }
        }
        assertEquals(0, new ShuffleWords(1, 1).below(1));
    }
}
