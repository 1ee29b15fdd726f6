package dev.cortado.cuda;

import dev.cortado.device.DeviceInfo;
import dev.cortado.kernel.GemmChoice;

/**
 * One probe result: what to show, and when the device is available, what to open it with.
 *
 * @param device null when {@code info} is unavailable
 * @param kernels how the kernels are built; null when unavailable
 * @param gemm the GEMM engine to ask for
 */
record ProbedCudaDevice(DeviceInfo info, CudaDevice device, KernelPlan kernels, GemmChoice gemm) {
}
