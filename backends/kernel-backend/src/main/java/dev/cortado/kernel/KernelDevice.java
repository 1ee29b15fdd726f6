package dev.cortado.kernel;

import dev.cortado.backend.BufferPool;
import dev.cortado.backend.DeviceBuffer;
import java.util.List;

/**
 * What {@link KernelBackend} needs from one device API (OpenCL, CUDA): buffers, kernels built from the kernels-cl
 * sources, launches and a GEMM library. Every op of the backend is written once in terms of these calls. The
 * backend calls them under its own lock, so an implementation need not be thread-safe. Work may be queued: only
 * {@link #download} and {@link #finish} must wait for it.
 */
public interface KernelDevice {

    /** The API's name for messages, e.g. {@code OpenCL} or {@code CUDA}. */
    String api();

    /** The device's name for messages. */
    String name();

    /** The limits the backend chooses work-group sizes and GEMM tiles by. */
    KernelDeviceFacts facts();

    /** Creates and releases device buffers for the backend's {@link BufferPool}. */
    BufferPool.Allocator allocator();

    /**
     * Kernel {@code name} of kernel file {@code file} (e.g. {@code gemm.cl}) built with {@code options}, a string
     * of {@code -DNAME=value} defines separated by spaces (empty for none); built on first use, then kept.
     *
     * @throws KernelBuildException when the kernel cannot be built
     */
    Kernel kernel(String file, String options, String name);

    /**
     * Queues a launch of {@code kernel} with these arguments over {@code global} work-items in groups of
     * {@code local} (one entry per dimension, up to 3; each global size a multiple of its local size). The list
     * belongs to the caller: read it during the call, do not keep it.
     */
    void launch(Kernel kernel, List<KernelArg> args, long[] global, long[] local);

    /** Queues a copy of {@code count > 0} floats from the host array to the buffer at a float offset. */
    void upload(float[] src, int srcOffset, int count, DeviceBuffer dst, long dstOffset);

    /** Copies {@code count > 0} floats from the buffer to the host array after all queued work is done. */
    void download(DeviceBuffer src, long srcOffset, int count, float[] dst, int dstOffset);

    /** Queues a device-to-device copy of {@code count > 0} floats. */
    void copy(DeviceBuffer src, long srcOffset, DeviceBuffer dst, long dstOffset, long count);

    /** Waits until all queued work is done. */
    void finish();

    /** The name of the device API's GEMM library, e.g. {@code CLBlast}, for device details. */
    String gemmLibrary();

    /**
     * A GEMM engine on the device API's library (the backend gives it no product with {@code k = 0}).
     *
     * @throws IllegalStateException with the reason when the library cannot be loaded
     */
    GemmEngine openGemmLibrary();

    /**
     * Releases everything the device holds (kernels, every buffer still allocated, queues, contexts), once, after
     * {@link #finish()}. Later calls may fail.
     */
    void close();
}
