package dev.cortado.device;

/** The families of devices Cortado can run on; the name is the prefix of a device string. */
public enum DeviceKind {
    CPU("cpu"),
    OPENCL("opencl"),
    CUDA("cuda");

    private final String prefix;

    DeviceKind(String prefix) {
        this.prefix = prefix;
    }

    /** The prefix used in device strings, e.g. {@code opencl} in {@code opencl:0}. */
    public String prefix() {
        return prefix;
    }
}
