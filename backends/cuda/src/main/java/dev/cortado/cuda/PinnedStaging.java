package dev.cortado.cuda;

import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemHostAlloc;

import dev.cortado.kernel.StagingPool;
import java.nio.ByteOrder;
import jcuda.Pointer;
import jcuda.driver.CUresult;

/**
 * Pinned (page-locked) host blocks for the {@link StagingPool} of uploads: copies from pinned memory run
 * asynchronously on the stream. At most about {@value #LIMIT_BYTES} bytes stay pinned.
 */
final class PinnedStaging implements StagingPool.Blocks<PinnedStaging.Block> {
    static final long LIMIT_BYTES = 64L << 20;
    /** Uploads larger than this go straight from the Java array, synchronously. */
    static final int MAX_STAGED_FLOATS = 8 << 20;

    /** One pinned block of {@code bytes}. */
    record Block(Pointer host, long bytes) {
    }

    private final CudaObjects objects;

    private PinnedStaging(CudaObjects objects) {
        this.objects = objects;
    }

    /** A staging pool of pinned blocks, counted in {@code objects}. */
    static StagingPool<Block> pool(CudaObjects objects) {
        return new StagingPool<>(new PinnedStaging(objects), LIMIT_BYTES);
    }

    @Override
    public Block allocate(long bytes) {
        Pointer host = new Pointer();
        if (cuMemHostAlloc(host, bytes, 0) != CUresult.CUDA_SUCCESS) {
            return null;
        }
        objects.created(CudaObjects.Kind.PINNED_HOST_BUFFER);
        return new Block(host, bytes);
    }

    @Override
    public void free(Block block) {
        cuMemFreeHost(block.host());
        objects.released(CudaObjects.Kind.PINNED_HOST_BUFFER);
    }

    @Override
    public long bytes(Block block) {
        return block.bytes();
    }

    @Override
    public void fill(Block block, float[] src, int offset, int count) {
        block.host().getByteBuffer(0, (long) count * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer()
                .put(src, offset, count);
    }
}
