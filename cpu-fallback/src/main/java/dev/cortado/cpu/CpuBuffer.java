package dev.cortado.cpu;

import dev.cortado.backend.DeviceBuffer;

/** CPU memory: a plain Java array. */
record CpuBuffer(float[] data) implements DeviceBuffer {

    @Override
    public long capacity() {
        return data.length;
    }
}
