package dev.cortado.cli;

import dev.cortado.backend.Backend;
import dev.cortado.device.Device;
import dev.cortado.device.DeviceInfo;
import dev.cortado.device.DeviceSelection;
import dev.cortado.device.DeviceUnavailableException;
import dev.cortado.device.Devices;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --device}: which device a command runs on. Without it, {@code CORTADO_DEVICE}; without that, the best
 * available device. A device asked for (by option or variable) that is unknown or unavailable is an error with
 * the reason; an implied device that fails to open falls back to the CPU with a note.
 */
final class DeviceOption {
    @Option(names = "--device", paramLabel = "DEVICE", description = "cpu, opencl:N or cuda:N (default: "
            + "$" + Devices.ENV_VARIABLE + ", else the best available device; see 'cortado devices').")
    String device;

    /** An open backend and why its device was chosen. */
    record Opened(Backend backend, DeviceSelection selection) {
        /** "cpu (AMD EPYC 7B13): no GPU available (...)" for the line commands print first. */
        String describe() {
            DeviceInfo info = selection.info();
            return info.device() + " (" + info.name() + "): " + selection.why();
        }
    }

    /** Chooses and opens the device from the process environment. */
    Opened open(Devices devices) {
        return open(devices, System.getenv());
    }

    Opened open(Devices devices, Map<String, String> environment) {
        DeviceSelection selection;
        try {
            selection = devices.select(device, environment);
        } catch (IllegalArgumentException | DeviceUnavailableException e) {
            // A malformed device string is a device error here too (Main would call it a usage error).
            throw new CliException(ExitCode.DEVICE, e.getMessage(), e);
        }
        boolean implied = (device == null || device.isBlank())
                && environment.getOrDefault(Devices.ENV_VARIABLE, "").isBlank();
        try {
            return new Opened(devices.open(selection.device()), selection);
        } catch (RuntimeException e) {
            if (!implied || selection.device().equals(Device.CPU)) {
                throw new CliException(ExitCode.DEVICE, "cannot open " + selection.device() + ": " + e.getMessage(),
                        e);
            }
            DeviceSelection cpu = devices.select("cpu", Map.of());
            String why = "fell back to the CPU: " + selection.device() + " failed to open (" + e.getMessage() + ")";
            return new Opened(devices.open(Device.CPU), new DeviceSelection(cpu.info(), why));
        }
    }
}
