package dev.cortado.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.kernel.KernelDeviceFacts.Type;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tile table: each kind of device gets its entry, and an entry a device cannot run falls back. */
class GemmTilesTest {
    private static final GemmSetting SETTING = new GemmSetting("clblast", "cortado.test.gemm", "CORTADO_TEST_GEMM",
            GemmChoice.TILED);

    private static KernelDeviceFacts device(String vendor, Type type, long maxGroup, long localBytes) {
        return new KernelDeviceFacts(type, vendor, maxGroup, new long[] {1024, 1024, 64}, localBytes);
    }

    @Test
    void eachKindOfDeviceGetsItsOwnEntry() {
        assertEquals(GemmTiles.NVIDIA_GPU, GemmTiles.forDevice(device("NVIDIA Corporation", Type.GPU, 1024,
                48 << 10)));
        assertEquals(GemmTiles.AMD_GPU, GemmTiles.forDevice(device("Advanced Micro Devices, Inc.", Type.GPU, 256,
                64 << 10)));
        assertEquals(GemmTiles.INTEL_GPU, GemmTiles.forDevice(device("Intel(R) Corporation", Type.GPU, 256,
                64 << 10)));
        assertEquals(GemmTiles.CPU, GemmTiles.forDevice(device("AuthenticAMD", Type.CPU, 4096, 512 << 10)));
        assertEquals(GemmTiles.SAFE, GemmTiles.forDevice(device("Imagination", Type.GPU, 512, 32 << 10)));
        assertEquals(GemmTiles.SAFE, GemmTiles.forDevice(device("Xilinx", Type.ACCELERATOR, 256, 32 << 10)));
    }

    @Test
    void anEntryTheDeviceCannotRunFallsBackToTheSafeTiles() {
        assertEquals(GemmTiles.SAFE, GemmTiles.forDevice(device("NVIDIA Corporation", Type.GPU, 128, 48 << 10)),
                "too many work-items");
        assertEquals(GemmTiles.SAFE, GemmTiles.forDevice(device("NVIDIA Corporation", Type.GPU, 1024, 8 << 10)),
                "too little local memory");
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
        assertEquals(GemmChoice.TILED, SETTING.configured(null, Map.of()));
        assertEquals(GemmChoice.LIBRARY, SETTING.configured(null, Map.of("CORTADO_TEST_GEMM", "CLBlast")));
        assertEquals(GemmChoice.TILED, SETTING.configured("tiled", Map.of("CORTADO_TEST_GEMM", "clblast")));
        assertEquals(GemmChoice.LIBRARY, new GemmSetting("cublas", "p", "E", GemmChoice.LIBRARY)
                .configured(" ", Map.of()), "a blank value leaves the default");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SETTING.configured("fast", Map.of()));
        assertEquals("-Dcortado.test.gemm=fast is not a GEMM choice (expected tiled or clblast)", e.getMessage());
    }
}
