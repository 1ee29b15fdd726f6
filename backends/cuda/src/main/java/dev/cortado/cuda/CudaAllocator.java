package dev.cortado.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;

import dev.cortado.backend.BufferPool;
import dev.cortado.backend.DeviceBuffer;
import dev.cortado.backend.OutOfDeviceMemoryException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;

/**
 * Allocates device memory with {@code cuMemAlloc} (never managed memory) for the {@link BufferPool}. An
 * allocation the device cannot satisfy becomes {@link OutOfDeviceMemoryException}, so the pool empties its cache
 * and retries once. Every call makes the backend's context current first: tensors may be closed on any thread.
 */
final class CudaAllocator implements BufferPool.Allocator {
    /** Kernels index with 32-bit ints. */
    static final long MAX_FLOATS = Integer.MAX_VALUE;

    private final CudaContext context;
    private final Set<CudaBuffer> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    CudaAllocator(CudaContext context) {
        this.context = context;
    }

    @Override
    public synchronized DeviceBuffer allocate(long floats) {
        if (closed) {
            throw new IllegalStateException("the CUDA backend for " + context.name() + " is closed");
        }
        if (floats > MAX_FLOATS) {
            throw new IllegalArgumentException("a tensor of " + floats + " floats is too large for the CUDA "
                    + "backend, whose kernels index with 32-bit ints (at most " + MAX_FLOATS + " floats)");
        }
        long bytes = floats * Float.BYTES;
        context.makeCurrent();
        CUdeviceptr pointer = new CUdeviceptr();
        int result = cuMemAlloc(pointer, bytes);
        if (result == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            throw new OutOfDeviceMemoryException("cuMemAlloc of " + bytes + " bytes failed on " + context.name()
                    + ": out of memory");
        }
        CudaCallException.check(result, () -> "cuMemAlloc of " + bytes + " bytes on " + context.name());
        context.objects().created(CudaObjects.Kind.BUFFER);
        CudaBuffer buffer = new CudaBuffer(pointer, floats);
        live.add(buffer);
        return buffer;
    }

    /** Frees a buffer once the stream is done with it (queued kernels may still read it). */
    @Override
    public synchronized void release(DeviceBuffer buffer) {
        CudaBuffer cuda = (CudaBuffer) buffer;
        if (closed) {
            return;
        }
        if (!live.remove(cuda)) {
            throw new IllegalStateException("buffer of " + cuda.capacity() + " floats released twice or not ours");
        }
        context.synchronize();
        CudaCallException.check(cuMemFree(cuda.pointer()), () -> "cuMemFree on " + context.name());
        context.objects().released(CudaObjects.Kind.BUFFER);
    }

    @Override
    public synchronized long freeBytes() {
        if (closed) {
            return -1;
        }
        context.makeCurrent();
        long[] free = new long[1];
        long[] total = new long[1];
        return cuMemGetInfo(free, total) == CUresult.CUDA_SUCCESS ? free[0] : -1;
    }

    /** Frees every buffer still allocated, including those of tensors never closed, and refuses new ones. */
    synchronized void close() {
        for (CudaBuffer buffer : List.copyOf(live)) {
            release(buffer);
        }
        closed = true;
    }
}
