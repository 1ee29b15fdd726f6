package dev.cortado.opencl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Host copies of uploads still in flight. A non-blocking write reads its host memory after the call returns, so
 * each upload gets a direct buffer of its own that stays referenced until the queue is known to be past it (the
 * next blocking read or finish). Past {@link #LIMIT_BYTES} pending, the backend finishes the queue first.
 */
final class StagingBuffers {
    static final long LIMIT_BYTES = 256L << 20;
    /** The largest upload staged; a direct buffer holds at most 2 GiB. */
    static final int MAX_STAGED_FLOATS = 1 << 28;

    private final List<ByteBuffer> pending = new ArrayList<>();
    private long pendingBytes;

    /**
     * A direct native-order copy of {@code count} (at most {@link #MAX_STAGED_FLOATS}) floats of {@code src} from
     * {@code offset}, kept until released.
     */
    ByteBuffer stage(float[] src, int offset, int count) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder());
        buffer.asFloatBuffer().put(src, offset, count);
        pending.add(buffer);
        pendingBytes += buffer.capacity();
        return buffer;
    }

    boolean overLimit() {
        return pendingBytes > LIMIT_BYTES;
    }

    /** The queue has finished every write: the host copies may go. */
    void releaseAll() {
        pending.clear();
        pendingBytes = 0;
    }
}
