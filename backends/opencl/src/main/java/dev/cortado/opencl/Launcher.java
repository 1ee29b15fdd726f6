package dev.cortado.opencl;

import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clSetKernelArg;

import dev.cortado.backend.Backend;
import dev.cortado.backend.OutOfDeviceMemoryException;
import dev.cortado.tensor.Tensor;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;

/**
 * Sets kernel arguments and enqueues kernels on the backend's in-order queue without waiting. Tensors travel as
 * two arguments, the {@code cl_mem} and the tensor's offset in floats, because OpenCL buffers allow no pointer
 * arithmetic on the host.
 */
final class Launcher {
    /** Work-items per group for 1-D kernels, capped by what each kernel allows. */
    static final int GROUP_SIZE = 256;

    private final Backend owner;
    private final cl_command_queue queue;
    private final String deviceName;

    Launcher(Backend owner, cl_command_queue queue, String deviceName) {
        this.owner = owner;
        this.queue = queue;
        this.deviceName = deviceName;
    }

    /** Starts setting the arguments of a kernel, from index 0. */
    Call call(Programs.Kernel kernel) {
        return new Call(kernel);
    }

    /** The arguments of one launch, set in order. */
    final class Call {
        private final Programs.Kernel kernel;
        private int index;

        private Call(Programs.Kernel kernel) {
            this.kernel = kernel;
        }

        Call ints(int... values) {
            for (int v : values) {
                clSetKernelArg(kernel.handle(), index++, Sizeof.cl_int, Pointer.to(new int[] {v}));
            }
            return this;
        }

        Call floats(float... values) {
            for (float v : values) {
                clSetKernelArg(kernel.handle(), index++, Sizeof.cl_float, Pointer.to(new float[] {v}));
            }
            return this;
        }

        /** A tensor of this backend: its buffer, then its offset in floats. */
        Call tensor(Tensor t) {
            ClBuffer buffer = bufferOf(t);
            clSetKernelArg(kernel.handle(), index++, Sizeof.cl_mem, Pointer.to(buffer.mem()));
            return ints(Math.toIntExact(t.offset()));
        }

        /** One work-item per unit of work, in groups of up to {@link #GROUP_SIZE}; nothing when there is none. */
        void run1d(long workItems) {
            if (workItems == 0) {
                return;
            }
            long local = Math.min(GROUP_SIZE, kernel.maxWorkGroupSize());
            long global = (workItems + local - 1) / local * local;
            run(new long[] {global}, new long[] {local});
        }

        /** Enqueues with explicit sizes (global a multiple of local in every dimension). */
        void run(long[] global, long[] local) {
            enqueue("kernel " + kernel.name(), () -> clEnqueueNDRangeKernel(queue, kernel.handle(), global.length,
                    null, global, local, 0, null, null));
        }
    }

    /**
     * Runs one enqueue call. Drivers often allocate buffers lazily, at the first command that uses them, so
     * exhausted device memory can surface here; it becomes {@link OutOfDeviceMemoryException}.
     */
    void enqueue(String what, Runnable command) {
        try {
            command.run();
        } catch (CLException e) {
            if (ClAllocator.isOutOfMemory(e)) {
                throw new OutOfDeviceMemoryException(what + " ran out of memory on " + deviceName + ": "
                        + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** The OpenCL buffer of a tensor that must belong to this backend. */
    ClBuffer bufferOf(Tensor t) {
        if (t.backend() != owner || !(t.buffer() instanceof ClBuffer buffer)) {
            throw new IllegalArgumentException("tensor " + t + " does not belong to this OpenCL backend ("
                    + owner.info().device() + ")");
        }
        return buffer;
    }
}
