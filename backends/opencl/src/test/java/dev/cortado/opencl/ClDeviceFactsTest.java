package dev.cortado.opencl;

import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.kernel.GemmChoice;
import dev.cortado.kernel.GemmTiles;
import dev.cortado.kernel.KernelDeviceFacts;
import java.util.Map;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.junit.jupiter.api.Test;

/** How an OpenCL device's facts reach the shared tile table, and how the OpenCL GEMM engine is chosen. */
class ClDeviceFactsTest {

    private static ClDevice device(String vendor, String platform, long type) {
        return new ClDevice(new cl_platform_id(), new cl_device_id(), "dev", vendor, platform, "1",
                "OpenCL C 1.2", type, 8L << 30, 2L << 30, 48 << 10, 1024, new long[] {1024, 1024, 64}, 80,
                true, true);
    }

    @Test
    void theDeviceTypeAndVendorPickTheTableEntry() {
        ClDevice nvidia = device("NVIDIA Corporation", "NVIDIA CUDA", CL_DEVICE_TYPE_GPU);
        assertEquals(KernelDeviceFacts.Type.GPU, nvidia.facts().type());
        assertEquals(GemmTiles.NVIDIA_GPU, GemmTiles.forDevice(nvidia.facts()));
        assertEquals(GemmTiles.AMD_GPU, GemmTiles.forDevice(device("gfx1100", "AMD Accelerated Parallel Processing",
                CL_DEVICE_TYPE_GPU).facts()), "the platform's name counts too");
        assertEquals(GemmTiles.CPU, GemmTiles.forDevice(device("AuthenticAMD", "Portable Computing Language",
                CL_DEVICE_TYPE_CPU).facts()));
        assertEquals(KernelDeviceFacts.Type.ACCELERATOR, device("Xilinx", "Xilinx", CL_DEVICE_TYPE_ACCELERATOR)
                .facts().type());
    }

    @Test
    void theTiledKernelIsTheDefaultAndClBlastIsChosenByName() {
        assertEquals(GemmChoice.TILED, OpenClBackendProvider.GEMM.configured(null, Map.of()));
        assertEquals(GemmChoice.LIBRARY, OpenClBackendProvider.GEMM.configured(null,
                Map.of("CORTADO_OPENCL_GEMM", "clblast")));
        assertEquals(GemmChoice.LIBRARY, OpenClBackendProvider.GEMM.configured("CLBlast", Map.of()));
    }
}
