package dev.cortado.cuda;

import dev.cortado.backend.DeviceBuffer;
import jcuda.driver.CUdeviceptr;

/** Device memory of the CUDA backend: {@code cuMemAlloc}'d memory of {@code capacity} floats. */
record CudaBuffer(CUdeviceptr pointer, long capacity) implements DeviceBuffer {

    /** The address {@code offset} floats into the buffer. */
    CUdeviceptr at(long offset) {
        return pointer.withByteOffset(offset * Float.BYTES);
    }
}
