package dev.cortado.device;

import java.util.Locale;

/**
 * A device as a value: {@code cpu}, {@code opencl:0}, {@code cuda:1}. It names a device; whether the device
 * exists and works is what {@link Devices#list()} tells.
 *
 * @param kind the backend family
 * @param index the device's number within its family (always 0 for the CPU)
 */
public record Device(DeviceKind kind, int index) {

    /** The CPU fallback, present everywhere. */
    public static final Device CPU = new Device(DeviceKind.CPU, 0);

    public Device {
        if (index < 0) {
            throw new IllegalArgumentException("device index must be >= 0, got " + index);
        }
    }

    /**
     * Parses {@code cpu}, {@code opencl}, {@code opencl:N}, {@code cuda}, {@code cuda:N} (case-insensitive; no
     * index means 0).
     *
     * @throws IllegalArgumentException naming the string and the accepted forms
     */
    public static Device parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        String prefix = s;
        int index = 0;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            prefix = s.substring(0, colon);
            try {
                index = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                index = -1;
            }
        }
        for (DeviceKind kind : DeviceKind.values()) {
            if (kind.prefix().equals(prefix) && index >= 0 && !(kind == DeviceKind.CPU && index != 0)) {
                return new Device(kind, index);
            }
        }
        throw new IllegalArgumentException("not a device: '" + text
                + "' (expected cpu, opencl:N or cuda:N, e.g. opencl:0)");
    }

    @Override
    public String toString() {
        return kind == DeviceKind.CPU ? "cpu" : kind.prefix() + ":" + index;
    }
}
