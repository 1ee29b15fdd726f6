package dev.cortado.device;

/**
 * The device a run will use and why it was chosen, for the line a command prints at start.
 *
 * @param info the chosen device, always available
 * @param why e.g. "requested with --device", "from CORTADO_DEVICE", "best available (no CUDA: ...)"
 */
public record DeviceSelection(DeviceInfo info, String why) {

    public Device device() {
        return info.device();
    }
}
