package dev.cortado.opencl;

import dev.cortado.kernel.StagingPool;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Direct native-order buffers as the blocks of the {@link StagingPool} of uploads: a non-blocking write reads its
 * host memory after the call returns, so the block must outlive the call. At most about {@value #LIMIT_BYTES}
 * bytes stay allocated.
 */
final class StagingBuffers implements StagingPool.Blocks<ByteBuffer> {
    static final long LIMIT_BYTES = 256L << 20;
    /** The largest upload staged (a block of at most {@link #LIMIT_BYTES}); larger ones are written blocking. */
    static final int MAX_STAGED_FLOATS = (int) (LIMIT_BYTES / Float.BYTES);

    private StagingBuffers() {
    }

    static StagingPool<ByteBuffer> pool() {
        return new StagingPool<>(new StagingBuffers(), LIMIT_BYTES);
    }

    @Override
    public ByteBuffer allocate(long bytes) {
        return ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
    }

    @Override
    public void free(ByteBuffer block) {
        // a direct buffer's memory goes with the buffer
    }

    @Override
    public long bytes(ByteBuffer block) {
        return block.capacity();
    }

    @Override
    public void fill(ByteBuffer block, float[] src, int offset, int count) {
        block.asFloatBuffer().put(src, offset, count);
    }
}
