package dev.cortado.backend;

/**
 * A block of float32 memory owned by one {@link Backend}: a Java array for the CPU, a {@code cl_mem} for OpenCL,
 * a device pointer for CUDA. Only the backend that made it looks inside.
 */
public interface DeviceBuffer {

    /** Capacity in floats. */
    long capacity();
}
