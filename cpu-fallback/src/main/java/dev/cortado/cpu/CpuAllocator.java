package dev.cortado.cpu;

import dev.cortado.backend.BufferPool;
import dev.cortado.backend.DeviceBuffer;
import dev.cortado.backend.OutOfDeviceMemoryException;

/** Device memory of the CPU backend: Java float arrays of exactly the requested size, on the heap. */
final class CpuAllocator implements BufferPool.Allocator {
    /** The largest array HotSpot allocates; a few header words below Integer.MAX_VALUE. */
    static final int MAX_FLOATS = Integer.MAX_VALUE - 8;

    @Override
    public DeviceBuffer allocate(long floats) {
        if (floats > MAX_FLOATS) {
            throw new IllegalArgumentException("a CPU tensor holds at most " + MAX_FLOATS
                    + " floats (one Java array), " + floats + " requested");
        }
        try {
            return new CpuBuffer(new float[(int) floats]);
        } catch (OutOfMemoryError e) {
            throw new OutOfDeviceMemoryException("Java heap exhausted allocating " + floats * 4
                    + " bytes (maximum heap " + Runtime.getRuntime().maxMemory() + " bytes; raise it with -Xmx)", e);
        }
    }

    /** Nothing to do: the garbage collector reclaims the array once the pool drops it. */
    @Override
    public void release(DeviceBuffer buffer) {
    }

    @Override
    public long freeBytes() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    }
}
