package dev.cortado.opencl;

import dev.cortado.backend.DeviceBuffer;
import org.jocl.cl_mem;

/** Device memory of the OpenCL backend: a {@code cl_mem} of {@code capacity} floats. */
record ClBuffer(cl_mem mem, long capacity) implements DeviceBuffer {
}
