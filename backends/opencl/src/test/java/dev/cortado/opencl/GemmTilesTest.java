package dev.cortado.opencl;

import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.junit.jupiter.api.Test;

/** The tile table: each kind of device gets its entry, and an entry a device cannot run falls back. */
class GemmTilesTest {

    private static ClDevice device(String vendor, long type, long maxGroup, long localBytes) {
        return new ClDevice(new cl_platform_id(), new cl_device_id(), "dev", vendor, "platform", "1", "OpenCL 3.0",
                "OpenCL C 1.2", type, 8L << 30, 2L << 30, localBytes, maxGroup, new long[] {1024, 1024, 64}, 80,
                true, true);
    }

    @Test
    void eachKindOfDeviceGetsItsOwnEntry() {
        assertEquals(GemmTiles.NVIDIA_GPU, GemmTiles.forDevice(device("NVIDIA Corporation", CL_DEVICE_TYPE_GPU,
                1024, 48 << 10)));
        assertEquals(GemmTiles.AMD_GPU, GemmTiles.forDevice(device("Advanced Micro Devices, Inc.",
                CL_DEVICE_TYPE_GPU, 256, 64 << 10)));
        assertEquals(GemmTiles.INTEL_GPU, GemmTiles.forDevice(device("Intel(R) Corporation", CL_DEVICE_TYPE_GPU,
                256, 64 << 10)));
        assertEquals(GemmTiles.CPU, GemmTiles.forDevice(device("AuthenticAMD", CL_DEVICE_TYPE_CPU, 4096, 512 << 10)));
        assertEquals(GemmTiles.SAFE, GemmTiles.forDevice(device("Imagination", CL_DEVICE_TYPE_GPU, 512, 32 << 10)));
        assertEquals(GemmTiles.SAFE, GemmTiles.forDevice(device("Xilinx", CL_DEVICE_TYPE_ACCELERATOR, 256,
                32 << 10)));
    }

    @Test
    void anEntryTheDeviceCannotRunFallsBackToTheSafeTiles() {
        assertEquals(GemmTiles.SAFE, GemmTiles.forDevice(device("NVIDIA Corporation", CL_DEVICE_TYPE_GPU, 128,
                48 << 10)), "too many work-items");
        assertEquals(GemmTiles.SAFE, GemmTiles.forDevice(device("NVIDIA Corporation", CL_DEVICE_TYPE_GPU, 1024,
                8 << 10)), "too little local memory");
        assertTrue(GemmTiles.SAFE.threads() <= 64 && GemmTiles.SAFE.localBytes() <= 4096);
    }

    @Test
    void noGpuEntryIsTheCpuEntry() {
        for (GemmTiles gpu : new GemmTiles[] {GemmTiles.NVIDIA_GPU, GemmTiles.AMD_GPU, GemmTiles.INTEL_GPU}) {
            assertTrue(!gpu.equals(GemmTiles.CPU) && gpu.threads() >= 64 && !gpu.contiguousColumns(), gpu.describe());
        }
    }

    @Test
    void buildOptionsCarryEveryParameter() {
        assertEquals("-DTILE_M=32 -DTILE_N=32 -DTILE_K=8 -DWORK_M=4 -DWORK_N=4 -DWORK_N_CONTIGUOUS=0 -DTRANS_A=1 "
                + "-DTRANS_B=0",
                GemmTiles.SAFE.buildOptions(true, false));
        assertThrows(IllegalArgumentException.class, () -> new GemmTiles("bad", 30, 32, 8, 4, 4, false));
    }

    @Test
    void theChoiceComesFromThePropertyThenTheEnvironment() {
        assertEquals(GemmChoice.DEFAULT, GemmChoice.configured(null, Map.of()));
        assertEquals(GemmChoice.CLBLAST, GemmChoice.configured(null, Map.of(GemmChoice.ENV_VARIABLE, "CLBlast")));
        assertEquals(GemmChoice.TILED, GemmChoice.configured("tiled", Map.of(GemmChoice.ENV_VARIABLE, "clblast")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GemmChoice.configured("fast", Map.of()));
        assertTrue(e.getMessage().contains("tiled or clblast"), e.getMessage());
    }
}
