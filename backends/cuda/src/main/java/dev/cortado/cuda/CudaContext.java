package dev.cortado.cuda;

import static jcuda.driver.CUstream_flags.CU_STREAM_DEFAULT;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import dev.cortado.backend.BufferPool;
import dev.cortado.backend.DeviceBuffer;
import dev.cortado.backend.OutOfDeviceMemoryException;
import dev.cortado.kernel.GemmEngine;
import dev.cortado.kernel.Kernel;
import dev.cortado.kernel.KernelArg;
import dev.cortado.kernel.KernelDevice;
import dev.cortado.kernel.KernelDeviceFacts;
import dev.cortado.kernel.KernelVariant;
import dev.cortado.kernel.StagingPool;
import java.util.List;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;

/**
 * One CUDA device as the shared kernel backend sees it: the device's primary context (the one cuBLAS uses too, so
 * kernels and cuBLAS share memory and stream), one stream on which every copy, kernel and cuBLAS call is queued,
 * the buffers, the loaded modules and the pinned staging buffers. Downloads and {@link #finish()} wait. Every
 * entry point that makes driver calls makes the context current on the calling thread first (a kernel already loaded
 * is returned without any driver call). Error messages are built only when a call fails.
 */
final class CudaContext implements KernelDevice {
    private final CudaDevice device;
    private final CudaObjects objects = new CudaObjects();
    private final CUdevice handle = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final CudaAllocator allocator;
    private final CudaModules modules;
    private final StagingPool<PinnedStaging.Block> staging;

    CudaContext(CudaDevice device, KernelLoader loader) {
        this.device = device;
        CudaCallException.check(cuDeviceGet(handle, device.index()), "cuDeviceGet(" + device.index() + ")");
        CudaCallException.check(cuDevicePrimaryCtxRetain(context, handle), "cuDevicePrimaryCtxRetain on "
                + device.name());
        objects.created(CudaObjects.Kind.PRIMARY_CONTEXT);
        try {
            makeCurrent();
            CudaCallException.check(cuStreamCreate(stream, CU_STREAM_DEFAULT), "cuStreamCreate on " + device.name());
            objects.created(CudaObjects.Kind.STREAM);
        } catch (RuntimeException e) {
            cuDevicePrimaryCtxRelease(handle);
            objects.released(CudaObjects.Kind.PRIMARY_CONTEXT);
            throw e;
        }
        this.allocator = new CudaAllocator(this);
        this.modules = new CudaModules(loader, objects, device.name(), this::makeCurrent);
        this.staging = PinnedStaging.pool(objects);
    }

    CudaDevice device() {
        return device;
    }

    CudaObjects objects() {
        return objects;
    }

    CudaModules modules() {
        return modules;
    }

    CUstream stream() {
        return stream;
    }

    /** Makes the primary context current on this thread (the driver API keeps one current context per thread). */
    void makeCurrent() {
        int result = cuCtxSetCurrent(context);
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaCallException("cuCtxSetCurrent on " + device.name(), result);
        }
    }

    /** Makes the context current and waits for the stream; errors of earlier asynchronous work surface here. */
    void synchronize() {
        makeCurrent();
        waitForStream();
    }

    /** {@link #synchronize()} with the context already current. */
    private void waitForStream() {
        CudaCallException.check(cuStreamSynchronize(stream), () -> "waiting for the stream of " + device.name()
                + " (an earlier kernel or copy may have failed)");
    }

    @Override
    public String api() {
        return "CUDA";
    }

    @Override
    public String name() {
        return device.name();
    }

    @Override
    public KernelDeviceFacts facts() {
        return device.facts();
    }

    @Override
    public BufferPool.Allocator allocator() {
        return allocator;
    }

    @Override
    public Kernel kernel(String file, String options, String name) {
        // The modules make the context current when they load a kernel; one they have needs no driver call.
        return modules.kernel(new KernelVariant(file, options), name);
    }

    @Override
    public void launch(Kernel kernel, List<KernelArg> args, long[] global, long[] local) {
        CudaKernel k = (CudaKernel) kernel;
        int[] grid = new int[3];
        int[] block = new int[3];
        for (int d = 0; d < 3; d++) {
            long threads = d < local.length ? local[d] : 1;
            long blocks = (d < global.length ? global[d] : 1) / threads;
            if (blocks > device.maxGridDim()[d] || threads > device.maxBlockDim()[d]) {
                throw new IllegalArgumentException("kernel " + k.name() + " needs " + blocks + " blocks of "
                        + threads + " threads in dimension " + d + ", more than " + device.name() + " allows ("
                        + device.maxGridDim()[d] + " blocks of " + device.maxBlockDim()[d] + " threads)");
            }
            grid[d] = (int) blocks;
            block[d] = (int) threads;
        }
        NativePointerObject[] params = new NativePointerObject[args.size()];
        for (int i = 0; i < params.length; i++) {
            KernelArg arg = args.get(i);
            if (arg instanceof KernelArg.Int v) {
                params[i] = Pointer.to(new int[] {v.value()});
            } else if (arg instanceof KernelArg.Float v) {
                params[i] = Pointer.to(new float[] {v.value()});
            } else {
                params[i] = Pointer.to(((CudaBuffer) ((KernelArg.Buffer) arg).buffer()).pointer());
            }
        }
        makeCurrent();
        int result = cuLaunchKernel(k.function(), grid[0], grid[1], grid[2], block[0], block[1], block[2], 0, stream,
                Pointer.to(params), null);
        if (result == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            throw new OutOfDeviceMemoryException("launching " + k.name() + " ran out of memory on " + device.name());
        }
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaCallException("launching " + k.name() + " with " + grid[0] + "x" + grid[1] + "x" + grid[2]
                    + " blocks of " + block[0] + "x" + block[1] + "x" + block[2] + " threads on " + device.name(),
                    result);
        }
    }

    @Override
    public void upload(float[] src, int srcOffset, int count, DeviceBuffer dst, long dstOffset) {
        CudaBuffer buffer = (CudaBuffer) dst;
        long bytes = (long) count * Float.BYTES;
        makeCurrent();
        if (count <= PinnedStaging.MAX_STAGED_FLOATS) {
            if (staging.wouldExceedLimit(count)) {
                waitForStream();
                staging.recycle();
            }
            PinnedStaging.Block block = staging.stage(src, srcOffset, count);
            if (block != null) {
                CudaCallException.check(cuMemcpyHtoDAsync(buffer.at(dstOffset), block.host(), bytes, stream),
                        () -> "upload of " + bytes + " bytes to " + device.name());
                return;
            }
        }
        // Too large to stage, or no pinned memory to be had: wait for the stream, then copy from the array.
        waitForStream();
        CudaCallException.check(cuMemcpyHtoD(buffer.at(dstOffset), Pointer.to(src).withByteOffset(
                (long) srcOffset * Float.BYTES), bytes), () -> "upload of " + bytes + " bytes to " + device.name());
    }

    @Override
    public void download(DeviceBuffer src, long srcOffset, int count, float[] dst, int dstOffset) {
        CudaBuffer buffer = (CudaBuffer) src;
        long bytes = (long) count * Float.BYTES;
        synchronize();
        staging.recycle();
        CudaCallException.check(cuMemcpyDtoH(Pointer.to(dst).withByteOffset((long) dstOffset * Float.BYTES),
                buffer.at(srcOffset), bytes), () -> "download of " + bytes + " bytes from " + device.name());
    }

    @Override
    public void copy(DeviceBuffer src, long srcOffset, DeviceBuffer dst, long dstOffset, long count) {
        makeCurrent();
        long bytes = count * Float.BYTES;
        CudaCallException.check(cuMemcpyDtoDAsync(((CudaBuffer) dst).at(dstOffset), ((CudaBuffer) src).at(srcOffset),
                bytes, stream), () -> "copy of " + bytes + " bytes on " + device.name());
    }

    @Override
    public void finish() {
        synchronize();
        staging.recycle();
    }

    @Override
    public String gemmLibrary() {
        return "cuBLAS";
    }

    @Override
    public GemmEngine openGemmLibrary() {
        return CublasGemm.open(this);
    }

    /** Frees the pinned blocks, unloads the modules, frees every buffer, destroys the stream, releases the context. */
    @Override
    public void close() {
        makeCurrent();
        try {
            staging.close();
            modules.close();
            allocator.close();
        } finally {
            cuStreamDestroy(stream);
            objects.released(CudaObjects.Kind.STREAM);
            cuDevicePrimaryCtxRelease(handle);
            objects.released(CudaObjects.Kind.PRIMARY_CONTEXT);
        }
    }
}
