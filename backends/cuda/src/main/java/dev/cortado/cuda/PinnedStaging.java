package dev.cortado.cuda;

import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemHostAlloc;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUresult;

/**
 * Pinned (page-locked) host buffers through which uploads are copied asynchronously: an upload copies the host
 * array into a block and queues the copy to the device; the block is in use until the stream has passed it, which
 * the backend knows after it synchronizes (every download). Blocks are then reused, so a training loop with fixed
 * batch shapes pins memory in its first steps only. At most about {@value #LIMIT_BYTES} bytes stay pinned.
 */
final class PinnedStaging implements AutoCloseable {
    static final long LIMIT_BYTES = 64L << 20;
    /** Uploads larger than this go straight from the Java array, synchronously. */
    static final int MAX_STAGED_FLOATS = 8 << 20;
    private static final long MIN_BLOCK_BYTES = 256 << 10;

    /** One pinned block of {@code bytes}. */
    record Block(Pointer host, long bytes) {
    }

    private final CudaObjects objects;
    private final List<Block> free = new ArrayList<>();
    private final List<Block> busy = new ArrayList<>();
    private long pinnedBytes;

    PinnedStaging(CudaObjects objects) {
        this.objects = objects;
    }

    /**
     * A block holding a copy of {@code count} floats of {@code src} from {@code offset}, busy until
     * {@link #recycle()}; null when pinning more memory is refused (the caller copies synchronously). The caller
     * synchronizes and recycles first when {@link #wouldExceedLimit} says so.
     */
    Block stage(float[] src, int offset, int count) {
        long bytes = (long) count * Float.BYTES;
        Block block = free.stream().filter(b -> b.bytes() >= bytes).min(Comparator.comparingLong(Block::bytes))
                .orElse(null);
        if (block != null) {
            free.remove(block);
        } else {
            block = allocate(bytes);
            if (block == null) {
                return null;
            }
        }
        block.host().getByteBuffer(0, bytes).order(ByteOrder.nativeOrder()).asFloatBuffer().put(src, offset, count);
        busy.add(block);
        return block;
    }

    /** Whether staging {@code count} more floats would pin past the limit while blocks are busy. */
    boolean wouldExceedLimit(int count) {
        return !busy.isEmpty() && pinnedBytes + blockBytes((long) count * Float.BYTES) > LIMIT_BYTES;
    }

    private Block allocate(long bytes) {
        long size = blockBytes(bytes);
        if (pinnedBytes + size > LIMIT_BYTES) {
            freeAll(free);
        }
        Pointer host = new Pointer();
        if (cuMemHostAlloc(host, size, 0) != CUresult.CUDA_SUCCESS) {
            return null;
        }
        objects.created(CudaObjects.Kind.PINNED_HOST_BUFFER);
        pinnedBytes += size;
        return new Block(host, size);
    }

    private static long blockBytes(long bytes) {
        return Math.max(MIN_BLOCK_BYTES, Long.highestOneBit(bytes - 1) << 1);
    }

    /** The stream has passed every queued copy: every block may be reused. */
    void recycle() {
        free.addAll(busy);
        busy.clear();
    }

    private void freeAll(List<Block> blocks) {
        for (Block block : blocks) {
            cuMemFreeHost(block.host());
            objects.released(CudaObjects.Kind.PINNED_HOST_BUFFER);
            pinnedBytes -= block.bytes();
        }
        blocks.clear();
    }

    /** Frees every block; the stream must be idle. */
    @Override
    public void close() {
        recycle();
        freeAll(free);
    }
}
