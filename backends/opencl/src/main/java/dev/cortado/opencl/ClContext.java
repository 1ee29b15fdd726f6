package dev.cortado.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clEnqueueCopyBuffer;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseContext;
import static org.jocl.CL.clSetKernelArg;

import dev.cortado.backend.BufferPool;
import dev.cortado.backend.DeviceBuffer;
import dev.cortado.backend.OutOfDeviceMemoryException;
import dev.cortado.kernel.GemmEngine;
import dev.cortado.kernel.Kernel;
import dev.cortado.kernel.KernelArg;
import dev.cortado.kernel.KernelDevice;
import dev.cortado.kernel.KernelDeviceFacts;
import dev.cortado.kernel.ProgramCache;
import dev.cortado.kernel.StagingPool;
import java.nio.ByteBuffer;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;

/**
 * One OpenCL device as the shared kernel backend sees it: a context, one in-order queue, the programs built
 * through the disk cache, the buffers, and CLBlast. Commands only enqueue; downloads and {@link #finish()} wait.
 */
final class ClContext implements KernelDevice {
    private final ClDevice device;
    private final ClObjects objects = new ClObjects();
    private final cl_context context;
    private final cl_command_queue queue;
    private final ClAllocator allocator;
    private final Programs programs;
    private final StagingPool<ByteBuffer> staging = StagingBuffers.pool();

    ClContext(ClDevice device, ProgramCache cache) {
        CL.setExceptionsEnabled(true);
        this.device = device;
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL_CONTEXT_PLATFORM, device.platform());
        this.context = clCreateContext(properties, 1, new cl_device_id[] {device.id()}, null, null, null);
        objects.created(ClObjects.Kind.CONTEXT);
        try {
            this.queue = createQueue();
        } catch (RuntimeException e) {
            clReleaseContext(context);
            objects.released(ClObjects.Kind.CONTEXT);
            throw e;
        }
        this.allocator = new ClAllocator(context, device, objects);
        this.programs = new Programs(context, device, cache, objects);
    }

    /** The OpenCL 1.2 call, not its 2.0 replacement: the backend must also run on 1.2-only platforms. */
    @SuppressWarnings("deprecation")
    private cl_command_queue createQueue() {
        cl_command_queue q = clCreateCommandQueue(context, device.id(), 0, null);
        objects.created(ClObjects.Kind.QUEUE);
        return q;
    }

    ClDevice device() {
        return device;
    }

    Programs programs() {
        return programs;
    }

    ClObjects objects() {
        return objects;
    }

    @Override
    public String api() {
        return "OpenCL";
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
        return programs.kernel(file, options, name);
    }

    @Override
    public void launch(Kernel kernel, List<KernelArg> args, long[] global, long[] local) {
        Programs.Kernel k = (Programs.Kernel) kernel;
        for (int i = 0; i < args.size(); i++) {
            KernelArg arg = args.get(i);
            if (arg instanceof KernelArg.Int v) {
                clSetKernelArg(k.handle(), i, Sizeof.cl_int, Pointer.to(new int[] {v.value()}));
            } else if (arg instanceof KernelArg.Float v) {
                clSetKernelArg(k.handle(), i, Sizeof.cl_float, Pointer.to(new float[] {v.value()}));
            } else {
                clSetKernelArg(k.handle(), i, Sizeof.cl_mem, Pointer.to(((ClBuffer) ((KernelArg.Buffer) arg)
                        .buffer()).mem()));
            }
        }
        try {
            clEnqueueNDRangeKernel(queue, k.handle(), global.length, null, global, local, 0, null, null);
        } catch (CLException e) {
            throw failure("kernel " + k.name(), e);
        }
    }

    @Override
    public void upload(float[] src, int srcOffset, int count, DeviceBuffer dst, long dstOffset) {
        ClBuffer buffer = (ClBuffer) dst;
        if (count > StagingBuffers.MAX_STAGED_FLOATS) {
            // Too large for one direct buffer: write straight from the array, which must wait for the copy.
            write(buffer, dstOffset, count, true, Pointer.to(src).withByteOffset(srcOffset * 4L));
            return;
        }
        if (staging.wouldExceedLimit(count)) {
            finish();
        }
        ByteBuffer host = staging.stage(src, srcOffset, count);
        write(buffer, dstOffset, count, false, Pointer.to(host));
    }

    private void write(ClBuffer buffer, long dstOffset, int count, boolean blocking, Pointer from) {
        try {
            clEnqueueWriteBuffer(queue, buffer.mem(), blocking, dstOffset * 4, count * 4L, from, 0, null, null);
        } catch (CLException e) {
            throw failure("upload", e);
        }
    }

    @Override
    public void download(DeviceBuffer src, long srcOffset, int count, float[] dst, int dstOffset) {
        ClBuffer buffer = (ClBuffer) src;
        try {
            clEnqueueReadBuffer(queue, buffer.mem(), true, srcOffset * 4, count * 4L,
                    Pointer.to(dst).withByteOffset(dstOffset * 4L), 0, null, null);
        } catch (CLException e) {
            throw failure("download", e);
        }
        staging.recycle();
    }

    @Override
    public void copy(DeviceBuffer src, long srcOffset, DeviceBuffer dst, long dstOffset, long count) {
        ClBuffer from = (ClBuffer) src;
        ClBuffer to = (ClBuffer) dst;
        try {
            clEnqueueCopyBuffer(queue, from.mem(), to.mem(), srcOffset * 4, dstOffset * 4, count * 4, 0, null, null);
        } catch (CLException e) {
            throw failure("copy", e);
        }
    }

    @Override
    public void finish() {
        try {
            clFinish(queue);
        } catch (CLException e) {
            throw failure("finish", e);
        }
        staging.recycle();
    }

    @Override
    public String gemmLibrary() {
        return "CLBlast";
    }

    @Override
    public GemmEngine openGemmLibrary() {
        return ClBlastGemm.open(queue);
    }

    /**
     * What to throw for a failed enqueue (or finish) call, {@code what} naming the command. Drivers often allocate
     * buffers lazily, at the first command that uses them, so exhausted device memory can surface there; it becomes
     * {@link OutOfDeviceMemoryException}. Other failures are thrown as they are.
     */
    private RuntimeException failure(String what, CLException e) {
        if (ClAllocator.isOutOfMemory(e)) {
            return new OutOfDeviceMemoryException(what + " ran out of memory on " + device.name() + ": "
                    + e.getMessage(), e);
        }
        return e;
    }

    /**
     * Releases the staged uploads, every kernel, program and buffer (also those of tensors never closed), the
     * queue and the context.
     */
    @Override
    public void close() {
        staging.close();
        try {
            programs.close();
            allocator.close();
        } finally {
            clReleaseCommandQueue(queue);
            objects.released(ClObjects.Kind.QUEUE);
            clReleaseContext(context);
            objects.released(ClObjects.Kind.CONTEXT);
        }
    }
}
