package dev.cortado.device;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a provider found out about one device, whether or not it can be used.
 *
 * @param device the device this describes
 * @param name a human-readable name ("AMD EPYC 7B13", "NVIDIA H200")
 * @param accelerator true for a GPU or other accelerator, false for a CPU device
 * @param memoryBytes device memory in bytes, 0 when unknown
 * @param computeUnits compute units or cores, 0 when unknown
 * @param reason null when the device is available; otherwise why it is not, in words a user can act on
 * @param details further facts worth showing (driver version, which GEMM and kernel path), in display order
 */
public record DeviceInfo(Device device, String name, boolean accelerator, long memoryBytes, int computeUnits,
                         String reason, Map<String, String> details) {

    public DeviceInfo {
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** A usable device. */
    public static DeviceInfo available(Device device, String name, boolean accelerator, long memoryBytes,
                                       int computeUnits, Map<String, String> details) {
        return new DeviceInfo(device, name, accelerator, memoryBytes, computeUnits, null, details);
    }

    /** A device (or a whole backend, as index 0) that cannot be used, with the reason. */
    public static DeviceInfo unavailable(Device device, String name, String reason) {
        return new DeviceInfo(device, name, false, 0, 0, reason, Map.of());
    }

    public boolean isAvailable() {
        return reason == null;
    }

    /** "available" or "unavailable: reason", as {@code cortado devices} prints it. */
    public String status() {
        return isAvailable() ? "available" : "unavailable: " + reason;
    }
}
