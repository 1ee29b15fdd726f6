package dev.cortado.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Host blocks through which uploads are copied asynchronously: an upload copies its floats into a block and
 * queues the copy to the device, and the block stays busy until the device has passed every queued copy, which
 * the backend knows once it has waited (a download or a finish) and reports with {@link #recycle()}. Blocks are
 * then reused, so a training loop with fixed batch shapes allocates host memory in its first steps only. At most
 * about the limit stays allocated while blocks are free; the backend waits and recycles first when
 * {@link #wouldExceedLimit} says so.
 *
 * @param <B> a block of host memory
 */
public final class StagingPool<B> implements AutoCloseable {
    private static final long MIN_BLOCK_BYTES = 256 << 10;

    /** How a backend allocates, frees, measures and fills its blocks. */
    public interface Blocks<B> {
        /** A new block of {@code bytes}, or null when the host refuses (the caller then copies synchronously). */
        B allocate(long bytes);

        void free(B block);

        long bytes(B block);

        /** Copies {@code count} floats of {@code src} from {@code offset} to the start of {@code block}. */
        void fill(B block, float[] src, int offset, int count);
    }

    private final Blocks<B> blocks;
    private final long limitBytes;
    private final List<B> free = new ArrayList<>();
    private final List<B> busy = new ArrayList<>();
    private long allocatedBytes;

    public StagingPool(Blocks<B> blocks, long limitBytes) {
        this.blocks = blocks;
        this.limitBytes = limitBytes;
    }

    /**
     * A block holding a copy of {@code count} floats of {@code src} from {@code offset}, busy until
     * {@link #recycle()}; null when the host refuses more memory.
     */
    public B stage(float[] src, int offset, int count) {
        long bytes = (long) count * Float.BYTES;
        B block = takeFree(bytes);
        if (block == null) {
            block = allocate(bytes);
            if (block == null) {
                return null;
            }
        }
        blocks.fill(block, src, offset, count);
        busy.add(block);
        return block;
    }

    /** The smallest free block of at least {@code bytes}, removed from the free list; null if none fits. */
    private B takeFree(long bytes) {
        int best = -1;
        for (int i = 0; i < free.size(); i++) {
            long size = blocks.bytes(free.get(i));
            if (size >= bytes && (best < 0 || size < blocks.bytes(free.get(best)))) {
                best = i;
            }
        }
        return best < 0 ? null : free.remove(best);
    }

    private B allocate(long bytes) {
        long size = blockBytes(bytes);
        if (allocatedBytes + size > limitBytes) {
            freeAll(free);
        }
        B block = blocks.allocate(size);
        if (block != null) {
            allocatedBytes += size;
        }
        return block;
    }

    /** Whether staging {@code count} more floats would allocate past the limit while blocks are busy. */
    public boolean wouldExceedLimit(int count) {
        return !busy.isEmpty() && allocatedBytes + blockBytes((long) count * Float.BYTES) > limitBytes;
    }

    private static long blockBytes(long bytes) {
        return Math.max(MIN_BLOCK_BYTES, Long.highestOneBit(bytes - 1) << 1);
    }

    /** The device has passed every queued copy: every block may be reused. */
    public void recycle() {
        free.addAll(busy);
        busy.clear();
    }

    private void freeAll(List<B> list) {
        for (B block : list) {
            allocatedBytes -= blocks.bytes(block);
            blocks.free(block);
        }
        list.clear();
    }

    /** Frees every block; the device must be idle. */
    @Override
    public void close() {
        recycle();
        freeAll(free);
    }
}
