package dev.cortado.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;

/**
 * What the probe asks of the CUDA driver. Production code uses {@link #jcuda()}; tests substitute the answers of
 * machines this one is not (no device, an old driver).
 */
interface CudaInventory {

    /** Initializes the driver API and returns the CUDA version the driver supports (12040 = 12.4). */
    int driverVersion();

    /** How many devices the driver sees. */
    int deviceCount();

    /** The facts about device {@code index}. */
    CudaDevice describe(int index, int driverVersion);

    /** The real driver through JCuda; {@link #driverVersion()} throws UnsatisfiedLinkError without libcuda.so.1. */
    static CudaInventory jcuda() {
        return new CudaInventory() {
            @Override
            public int driverVersion() {
                CudaDriver.load();
                CudaCallException.check(cuInit(0), "cuInit");
                int[] version = new int[1];
                CudaCallException.check(cuDriverGetVersion(version), "cuDriverGetVersion");
                return version[0];
            }

            @Override
            public int deviceCount() {
                int[] count = new int[1];
                CudaCallException.check(cuDeviceGetCount(count), "cuDeviceGetCount");
                return count[0];
            }

            @Override
            public CudaDevice describe(int index, int driverVersion) {
                return CudaDevice.query(index, driverVersion);
            }
        };
    }
}
