package dev.cortado.kernel;

import dev.cortado.backend.Backend;
import dev.cortado.backend.DeviceBuffer;
import dev.cortado.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects a kernel's arguments in order and launches it on the backend's {@link KernelDevice}. Tensors travel as
 * two arguments, the buffer and the tensor's offset in floats, because OpenCL buffers allow no pointer arithmetic
 * on the host (CUDA kernels take the same two).
 */
public final class Launcher {
    /** Work-items per group for 1-D kernels, capped by what each kernel allows. */
    public static final int GROUP_SIZE = 256;

    private final Backend owner;
    private final KernelDevice device;

    Launcher(Backend owner, KernelDevice device) {
        this.owner = owner;
        this.device = device;
    }

    /** The device the launches go to. */
    public KernelDevice device() {
        return device;
    }

    /** Kernel {@code name} of {@code file} built with {@code options}, built now if it was not yet. */
    public Kernel kernel(String file, String options, String name) {
        return device.kernel(file, options, name);
    }

    /** Starts collecting the arguments of a kernel. */
    public Call call(Kernel kernel) {
        return new Call(kernel);
    }

    /** Starts collecting the arguments of kernel {@code name} of {@code file} built with {@code options}. */
    public Call call(String file, String options, String name) {
        return call(kernel(file, options, name));
    }

    /** The arguments of one launch, added in the kernel's parameter order. */
    public final class Call {
        private final Kernel kernel;
        private final List<KernelArg> args = new ArrayList<>();

        private Call(Kernel kernel) {
            this.kernel = kernel;
        }

        /** Adds {@code int} arguments. */
        public Call ints(int... values) {
            for (int v : values) {
                args.add(new KernelArg.Int(v));
            }
            return this;
        }

        /** Adds {@code float} arguments. */
        public Call floats(float... values) {
            for (float v : values) {
                args.add(new KernelArg.Float(v));
            }
            return this;
        }

        /** A tensor of this backend: its buffer, then its offset in floats. */
        public Call tensor(Tensor t) {
            args.add(new KernelArg.Buffer(bufferOf(t)));
            return ints(Math.toIntExact(t.offset()));
        }

        /** One work-item per unit of work, in groups of up to {@link #GROUP_SIZE}; nothing when there is none. */
        public void run1d(long workItems) {
            if (workItems == 0) {
                return;
            }
            long local = Math.min(GROUP_SIZE, kernel.maxWorkGroupSize());
            long global = (workItems + local - 1) / local * local;
            run(new long[] {global}, new long[] {local});
        }

        /** Launches with explicit sizes (global a multiple of local in every dimension). */
        public void run(long[] global, long[] local) {
            device.launch(kernel, args, global, local);
        }
    }

    /** The buffer of a tensor that must belong to this backend. */
    public DeviceBuffer bufferOf(Tensor t) {
        if (t.backend() != owner) {
            throw new IllegalArgumentException("tensor " + t + " does not belong to this " + device.api()
                    + " backend (" + owner.info().device() + ")");
        }
        return t.buffer();
    }
}
