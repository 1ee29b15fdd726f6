package dev.cortado.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StagingPoolTest {
    /** Host arrays as blocks, counting what is allocated and freed; refuses blocks above {@code refuseAbove}. */
    private static final class ArrayBlocks implements StagingPool.Blocks<float[]> {
        int allocated;
        int freed;
        long refuseAbove = Long.MAX_VALUE;

        @Override
        public float[] allocate(long bytes) {
            if (bytes > refuseAbove) {
                return null;
            }
            allocated++;
            return new float[(int) (bytes / Float.BYTES)];
        }

        @Override
        public void free(float[] block) {
            freed++;
        }

        @Override
        public long bytes(float[] block) {
            return (long) block.length * Float.BYTES;
        }

        @Override
        public void fill(float[] block, float[] src, int offset, int count) {
            System.arraycopy(src, offset, block, 0, count);
        }
    }

    private static final int MIN_FLOATS = (256 << 10) / Float.BYTES;

    @Test
    void aTrainingLoopAllocatesInItsFirstStepOnly() {
        ArrayBlocks blocks = new ArrayBlocks();
        StagingPool<float[]> pool = new StagingPool<>(blocks, 64L << 20);
        float[] batch = {1, 2, 3, 4, 5};
        for (int step = 0; step < 10; step++) {
            float[] inputs = pool.stage(batch, 1, 3);
            float[] labels = pool.stage(batch, 0, 2);
            assertNotSame(inputs, labels, "two uploads in flight share no block");
            assertArrayEquals(new float[] {2, 3, 4}, Arrays.copyOf(inputs, 3));
            assertArrayEquals(new float[] {1, 2}, Arrays.copyOf(labels, 2));
            pool.recycle();
        }
        assertEquals(2, blocks.allocated);
        pool.close();
        assertEquals(2, blocks.freed);
    }

    @Test
    void theSmallestFreeBlockThatFitsIsReused() {
        ArrayBlocks blocks = new ArrayBlocks();
        StagingPool<float[]> pool = new StagingPool<>(blocks, 64L << 20);
        float[] big = pool.stage(new float[4 * MIN_FLOATS], 0, 4 * MIN_FLOATS);
        float[] small = pool.stage(new float[1], 0, 1);
        pool.recycle();
        assertSame(small, pool.stage(new float[7], 0, 7));
        assertSame(big, pool.stage(new float[MIN_FLOATS + 1], 0, MIN_FLOATS + 1));
    }

    @Test
    void pastTheLimitTheCallerMustWaitAndFreeBlocksGo() {
        ArrayBlocks blocks = new ArrayBlocks();
        long limit = 4L * MIN_FLOATS * Float.BYTES;
        StagingPool<float[]> pool = new StagingPool<>(blocks, limit);
        assertFalse(pool.wouldExceedLimit(4 * MIN_FLOATS), "nothing busy: nothing to wait for");
        pool.stage(new float[2 * MIN_FLOATS], 0, 2 * MIN_FLOATS);
        assertTrue(pool.wouldExceedLimit(4 * MIN_FLOATS));
        pool.recycle();
        pool.stage(new float[4 * MIN_FLOATS], 0, 4 * MIN_FLOATS);
        assertEquals(1, blocks.freed, "the free block went to stay within the limit");
    }

    @Test
    void aRefusedBlockIsNull() {
        ArrayBlocks blocks = new ArrayBlocks();
        blocks.refuseAbove = MIN_FLOATS * Float.BYTES;
        StagingPool<float[]> pool = new StagingPool<>(blocks, 64L << 20);
        assertNull(pool.stage(new float[MIN_FLOATS + 1], 0, MIN_FLOATS + 1));
    }
}
