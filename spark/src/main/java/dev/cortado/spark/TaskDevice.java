package dev.cortado.spark;

import dev.cortado.backend.Backend;
import dev.cortado.device.Device;
import dev.cortado.device.DeviceInfo;
import dev.cortado.device.Devices;
import java.util.Map;
import org.apache.spark.resource.ResourceInformation;

/**
 * The device a worker's task opens: the one {@code --device} names; else the GPU Spark assigned the task
 * ({@code spark.task.resource.gpu.amount=1}), opened as {@code cuda:<address>}; else the CPU. Without a GPU from Spark
 * a task never picks one itself, since tasks of one executor would then share it.
 *
 * @param backend the open device
 * @param description the device, its name and why it was chosen, for the run's report
 */
record TaskDevice(Backend backend, String description) {
    /** The name of GPUs in Spark's resource scheduling. */
    static final String GPU = "gpu";

    /**
     * Opens the device for a task.
     *
     * @param requested {@code --device}, or null
     * @param resources the task's resources, {@code TaskContext.resourcesJMap()}
     * @throws dev.cortado.device.DeviceUnavailableException with the reason when the device cannot be used
     */
    static TaskDevice open(String requested, Map<String, ResourceInformation> resources) {
        if (requested != null && !requested.isBlank()) {
            return open(Device.parse(requested.trim()), "requested with --device");
        }
        ResourceInformation gpu = resources.get(GPU);
        if (gpu != null && gpu.addresses().length > 0) {
            String address = gpu.addresses()[0];
            return open(Device.parse("cuda:" + address), "the GPU Spark assigned to the task (address " + address
                    + ")");
        }
        return open(Device.CPU, "no GPU assigned by Spark");
    }

    private static TaskDevice open(Device device, String why) {
        Backend backend = Devices.system().open(device);
        DeviceInfo info = backend.info();
        return new TaskDevice(backend, info.device() + " (" + info.name() + "): " + why);
    }
}
