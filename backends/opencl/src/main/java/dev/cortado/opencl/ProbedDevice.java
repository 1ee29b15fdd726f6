package dev.cortado.opencl;

import dev.cortado.device.DeviceInfo;

/**
 * One probe result: what to show, and the OpenCL device to open when it is available.
 *
 * @param device null when {@code info} is unavailable
 */
record ProbedDevice(DeviceInfo info, ClDevice device) {
}
