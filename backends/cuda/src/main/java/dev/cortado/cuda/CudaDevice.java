package dev.cortado.cuda;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;

import dev.cortado.kernel.KernelDeviceFacts;
import dev.cortado.kernel.NativeStrings;
import jcuda.driver.CUdevice;

/**
 * The facts about one CUDA device that the backend needs, read once when probing.
 *
 * @param index the device's ordinal, as in {@code cuda:N}
 * @param computeCapability e.g. 90 for compute capability 9.0
 * @param driverVersion the CUDA version the driver supports, as {@code cuDriverGetVersion} gives it (12040 = 12.4)
 * @param maxBlockDim the most threads per block in x, y, z
 * @param maxGridDim the most blocks per grid in x, y, z
 */
record CudaDevice(int index, String name, int computeCapability, long memoryBytes, int multiprocessors,
                  int maxThreadsPerBlock, long[] maxBlockDim, long[] maxGridDim, long sharedMemPerBlock,
                  int driverVersion) {

    /** Kernels declare their shared memory statically, which CUDA caps at 48 KiB per block on every device. */
    static final long STATIC_SHARED_LIMIT = 48 << 10;

    /** The limits tiles and group sizes are chosen by. */
    KernelDeviceFacts facts() {
        return new KernelDeviceFacts(KernelDeviceFacts.Type.GPU, "NVIDIA", maxThreadsPerBlock, maxBlockDim,
                Math.min(sharedMemPerBlock, STATIC_SHARED_LIMIT));
    }

    /**
     * The limits every NVIDIA GPU since compute capability 2.0 has (1024 threads per block, 48 KiB of static shared
     * memory), for which the build bundles the kernel variants.
     */
    static KernelDeviceFacts nominalFacts() {
        return new KernelDeviceFacts(KernelDeviceFacts.Type.GPU, "NVIDIA", 1024, new long[] {1024, 1024, 64},
                STATIC_SHARED_LIMIT);
    }

    /** A compute capability as the backend counts it (90), written as NVIDIA does ("9.0"). */
    static String capabilityText(int cc) {
        return cc / 10 + "." + cc % 10;
    }

    /** A CUDA version as the driver API encodes it (12040), written as people do ("12.4"). */
    static String cudaVersionText(int version) {
        return version / 1000 + "." + version % 1000 / 10;
    }

    /** A CUDA version written as people do ("12.6") as the driver API encodes it (12060). */
    static int cudaVersionNumber(String version) {
        String[] parts = version.split("\\.");
        return Integer.parseInt(parts[0]) * 1000 + Integer.parseInt(parts[1]) * 10;
    }

    /** Reads every field through the driver API, after {@code cuInit}; throws when a call fails. */
    static CudaDevice query(int index, int driverVersion) {
        CUdevice device = new CUdevice();
        CudaCallException.check(cuDeviceGet(device, index), "cuDeviceGet(" + index + ")");
        byte[] name = new byte[256];
        CudaCallException.check(cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        long[] memory = new long[1];
        CudaCallException.check(cuDeviceTotalMem(memory, device), "cuDeviceTotalMem");
        int major = attribute(device, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        int minor = attribute(device, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        return new CudaDevice(index, NativeStrings.cString(name), major * 10 + minor, memory[0],
                attribute(device, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT),
                attribute(device, CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK),
                new long[] {attribute(device, CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X),
                    attribute(device, CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y),
                    attribute(device, CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z)},
                new long[] {attribute(device, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X),
                    attribute(device, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y),
                    attribute(device, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z)},
                attribute(device, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK),
                driverVersion);
    }

    private static int attribute(CUdevice device, int attribute) {
        int[] value = new int[1];
        CudaCallException.check(cuDeviceGetAttribute(value, attribute, device), "cuDeviceGetAttribute(" + attribute
                + ")");
        return value[0];
    }
}
