package dev.cortado.kernel;

import dev.cortado.backend.DeviceBuffer;

/** One kernel argument, in the order of the kernel's parameters. */
public sealed interface KernelArg {

    /** An {@code int} (or {@code uint}) parameter. */
    record Int(int value) implements KernelArg {
    }

    /** A {@code float} parameter. */
    record Float(float value) implements KernelArg {
    }

    /**
     * A {@code __global float*} parameter: the buffer itself. The tensor's offset follows as an {@link Int}, since
     * OpenCL buffers allow no pointer arithmetic on the host.
     */
    record Buffer(DeviceBuffer buffer) implements KernelArg {
    }
}
