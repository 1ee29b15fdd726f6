package dev.cortado.backend;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A per-device caching allocator: buffers returned by tensors are kept by exact size and handed out again, so
 * that a training loop with fixed batch shapes allocates device memory only in its first steps. When the device
 * runs out of memory the pool frees everything it caches and retries once.
 */
public final class BufferPool implements AutoCloseable {

    /** The device side of the pool: real allocation and release. */
    public interface Allocator {
        /** Allocates {@code floats} floats; throws {@link OutOfDeviceMemoryException} when the device is full. */
        DeviceBuffer allocate(long floats);

        void release(DeviceBuffer buffer);

        /** Free device memory in bytes for error messages, or -1 when the device cannot tell. */
        default long freeBytes() {
            return -1;
        }
    }

    private final Allocator allocator;
    private final Map<Long, ArrayDeque<DeviceBuffer>> cached = new HashMap<>();
    private long allocations;
    private long reuses;
    private long liveBuffers;
    private long liveFloats;
    private long cachedBuffers;
    private long cachedFloats;

    public BufferPool(Allocator allocator) {
        this.allocator = allocator;
    }

    /** A buffer of exactly {@code floats} floats, from the cache when one is there. Contents are undefined. */
    public synchronized DeviceBuffer acquire(long floats) {
        if (floats < 0) {
            throw new IllegalArgumentException("negative buffer size " + floats);
        }
        long size = Math.max(1, floats);
        ArrayDeque<DeviceBuffer> free = cached.get(size);
        DeviceBuffer buffer;
        if (free != null && !free.isEmpty()) {
            buffer = free.pop();
            cachedBuffers--;
            cachedFloats -= size;
            reuses++;
        } else {
            buffer = allocateOrRetry(size);
            allocations++;
        }
        liveBuffers++;
        liveFloats += size;
        return buffer;
    }

    private DeviceBuffer allocateOrRetry(long floats) {
        try {
            return allocator.allocate(floats);
        } catch (OutOfDeviceMemoryException first) {
            clear();
            try {
                return allocator.allocate(floats);
            } catch (OutOfDeviceMemoryException second) {
                long free = allocator.freeBytes();
                throw new OutOfDeviceMemoryException("out of device memory: requested " + floats * 4
                        + " bytes, " + liveFloats * 4 + " bytes in use by " + liveBuffers + " buffers"
                        + (free >= 0 ? ", " + free + " bytes free on the device" : "")
                        + " (the pool's cache was emptied and the allocation retried): " + second.getMessage(),
                        second);
            }
        }
    }

    /** Returns a buffer for reuse. */
    public synchronized void release(DeviceBuffer buffer) {
        long size = buffer.capacity();
        liveBuffers--;
        liveFloats -= size;
        cached.computeIfAbsent(size, s -> new ArrayDeque<>()).push(buffer);
        cachedBuffers++;
        cachedFloats += size;
    }

    /** Gives every cached buffer back to the device. Live buffers are not touched. */
    public synchronized void clear() {
        for (ArrayDeque<DeviceBuffer> free : cached.values()) {
            for (DeviceBuffer buffer : free) {
                allocator.release(buffer);
            }
        }
        cached.clear();
        cachedBuffers = 0;
        cachedFloats = 0;
    }

    public synchronized PoolStats stats() {
        return new PoolStats(allocations, reuses, liveBuffers, liveFloats * 4, cachedBuffers, cachedFloats * 4);
    }

    /** Releases the cached buffers; live ones belong to tensors that should have been closed first. */
    @Override
    public void close() {
        clear();
    }
}
