package dev.cortado.opencl;

import static org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_OUT_OF_HOST_MEMORY;
import static org.jocl.CL.CL_OUT_OF_RESOURCES;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clReleaseMemObject;

import dev.cortado.backend.BufferPool;
import dev.cortado.backend.DeviceBuffer;
import dev.cortado.backend.OutOfDeviceMemoryException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.jocl.CLException;
import org.jocl.cl_context;
import org.jocl.cl_mem;

/**
 * Creates and releases {@code cl_mem} buffers for the {@link BufferPool}. OpenCL often allocates lazily, so the
 * allocator also keeps its own count against the device's global memory and reports a request that would pass it
 * as out of memory up front; the pool then empties its cache and retries.
 */
final class ClAllocator implements BufferPool.Allocator {
    /** Kernels index with 32-bit ints. */
    static final long MAX_FLOATS = Integer.MAX_VALUE;

    private final cl_context context;
    private final ClDevice device;
    private final ClObjects objects;
    private final Set<ClBuffer> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private long allocatedBytes;
    private boolean closed;

    ClAllocator(cl_context context, ClDevice device, ClObjects objects) {
        this.context = context;
        this.device = device;
        this.objects = objects;
    }

    @Override
    public synchronized DeviceBuffer allocate(long floats) {
        if (closed) {
            // The context is gone; calling into the driver now would crash the process, not just fail.
            throw new IllegalStateException("the OpenCL backend for " + device.name() + " is closed");
        }
        if (floats > MAX_FLOATS) {
            throw new IllegalArgumentException("a tensor of " + floats + " floats is too large for the OpenCL "
                    + "backend, whose kernels index with 32-bit ints (at most " + MAX_FLOATS + " floats)");
        }
        long bytes = floats * 4;
        if (bytes > device.maxAllocBytes()) {
            throw new OutOfDeviceMemoryException(bytes + " bytes exceed the largest single allocation of "
                    + device.name() + " (CL_DEVICE_MAX_MEM_ALLOC_SIZE = " + device.maxAllocBytes() + ")");
        }
        if (allocatedBytes + bytes > device.globalMemBytes()) {
            throw new OutOfDeviceMemoryException("allocating " + bytes + " bytes would pass the "
                    + device.globalMemBytes() + " bytes of " + device.name() + " (" + allocatedBytes
                    + " already allocated)");
        }
        cl_mem mem;
        try {
            mem = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
        } catch (CLException e) {
            if (isOutOfMemory(e)) {
                throw new OutOfDeviceMemoryException("clCreateBuffer of " + bytes + " bytes failed on "
                        + device.name() + ": " + e.getMessage(), e);
            }
            throw e;
        }
        objects.created(ClObjects.Kind.BUFFER);
        allocatedBytes += bytes;
        ClBuffer buffer = new ClBuffer(mem, floats);
        live.add(buffer);
        return buffer;
    }

    @Override
    public synchronized void release(DeviceBuffer buffer) {
        ClBuffer cl = (ClBuffer) buffer;
        if (closed) {
            return;
        }
        if (!live.remove(cl)) {
            throw new IllegalStateException("buffer of " + cl.capacity() + " floats released twice or not ours");
        }
        clReleaseMemObject(cl.mem());
        objects.released(ClObjects.Kind.BUFFER);
        allocatedBytes -= cl.capacity() * 4;
    }

    /**
     * Releases every buffer still allocated, including those of tensors never closed, and refuses new ones: the
     * backend is closing.
     */
    synchronized void close() {
        for (ClBuffer buffer : List.copyOf(live)) {
            release(buffer);
        }
        closed = true;
    }

    @Override
    public synchronized long freeBytes() {
        return device.globalMemBytes() - allocatedBytes;
    }

    /** The status codes with which drivers report exhausted device memory. */
    static boolean isOutOfMemory(CLException e) {
        int s = e.getStatus();
        return s == CL_MEM_OBJECT_ALLOCATION_FAILURE || s == CL_OUT_OF_RESOURCES || s == CL_OUT_OF_HOST_MEMORY;
    }
}
