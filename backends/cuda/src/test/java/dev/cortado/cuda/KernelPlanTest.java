package dev.cortado.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where a device's kernels come from, for every combination of NVRTC, bundled PTX, driver and device. */
class KernelPlanTest {
    static final LibraryStatus NVRTC_12_6 = LibraryStatus.loaded("12.6");
    static final LibraryStatus NO_NVRTC = LibraryStatus.missing("libnvrtc.so.12 not found");
    static final int[] ARCHS_12_6 = {50, 52, 53, 60, 61, 62, 70, 72, 75, 80, 86, 87, 89, 90};
    static final Optional<PtxBundle> BUNDLE = Optional.of(new PtxBundle("13.0", "9.0", "compute_75", Map.of()));
    static final int CUDA_12_4 = 12040;
    static final int CUDA_13_0 = 13000;

    private static String unusable(KernelPlan plan) {
        return assertInstanceOf(KernelPlan.Unusable.class, plan, plan.describe()).reason();
    }

    @Test
    void nvrtcCompilesForTheDevicesOwnArchitecture() {
        KernelPlan plan = KernelPlan.choose(null, NVRTC_12_6, ARCHS_12_6, BUNDLE, 90, CUDA_12_4);
        assertEquals(new KernelPlan.Nvrtc("12.6", "sm_90"), plan);
        assertTrue(plan.describe().startsWith("NVRTC 12.6 (libnvrtc.so.12), compiled for sm_90"), plan.describe());
    }

    @Test
    void aDeviceNewerThanNvrtcGetsPtxOfTheNewestArchitectureWhenTheDriverLoadsIt() {
        assertEquals(new KernelPlan.Nvrtc("12.6", "compute_90"),
                KernelPlan.choose(null, NVRTC_12_6, ARCHS_12_6, BUNDLE, 120, 12080));
        KernelPlan tooOld = KernelPlan.choose(null, NVRTC_12_6, ARCHS_12_6, Optional.empty(), 120, CUDA_12_4);
        assertTrue(unusable(tooOld).contains("NVRTC 12.6 does not know compute capability 12.0, and its PTX needs a "
                + "driver for CUDA 12.6 or newer (this one supports CUDA 12.4)"), tooOld.describe());
    }

    @Test
    void withoutNvrtcTheBundledPtxIsUsedAndTheDetailsSayWhy() {
        KernelPlan plan = KernelPlan.choose(null, NO_NVRTC, new int[0], BUNDLE, 86, CUDA_13_0);
        assertInstanceOf(KernelPlan.Ptx.class, plan);
        assertEquals("bundled PTX (nvcc 13.0, compute_75, PTX ISA 9.0), compiled by the driver; NVRTC is not used: "
                + "libnvrtc.so.12 not found", plan.describe());
    }

    @Test
    void neitherPathIsAReasonNamingBoth() {
        String oldDriver = unusable(KernelPlan.choose(null, NO_NVRTC, new int[0], BUNDLE, 86, CUDA_12_4));
        assertTrue(oldDriver.startsWith("no way to build the kernels: NVRTC cannot be used (libnvrtc.so.12 not "
                + "found) and the bundled PTX (nvcc 13.0, compute_75, PTX ISA 9.0) needs a driver for CUDA 13.0 or "
                + "newer, and this one supports CUDA 12.4"), oldDriver);
        assertTrue(oldDriver.endsWith("install the CUDA 12 NVRTC library (libnvrtc.so.12, e.g. the cuda-nvrtc-12 "
                + "package) or a newer driver"), oldDriver);
        String noBundle = unusable(KernelPlan.choose(null, NO_NVRTC, new int[0], Optional.empty(), 86, CUDA_13_0));
        assertTrue(noBundle.contains("carries no bundled PTX (nvcc was not found when it was built)"), noBundle);
        String oldGpu = unusable(KernelPlan.choose(null, NO_NVRTC, new int[0], BUNDLE, 70, CUDA_13_0));
        assertTrue(oldGpu.contains("runs on compute capability 7.5 and later, and this device is 7.0"), oldGpu);
    }

    @Test
    void aDeviceOlderThanBothNvrtcAndThePtxSupportIsUnusable() {
        String reason = unusable(KernelPlan.choose(null, NVRTC_12_6, ARCHS_12_6, BUNDLE, 35, CUDA_13_0));
        assertTrue(reason.contains("NVRTC 12.6 compiles for compute capability 5.0 and later only, and this device "
                + "is 3.5"), reason);
        assertTrue(reason.contains("runs on compute capability 7.5 and later, and this device is 3.5"), reason);
    }

    @Test
    void aRequestedPathIsTheOnlyOneTried() {
        KernelPlan ptx = KernelPlan.choose(KernelPath.BUNDLED_PTX, NVRTC_12_6, ARCHS_12_6, BUNDLE, 90, CUDA_13_0);
        assertTrue(ptx.describe().endsWith("asked for with cortado.cuda.kernels=ptx"), ptx.describe());
        String noPtx = unusable(KernelPlan.choose(KernelPath.BUNDLED_PTX, NVRTC_12_6, ARCHS_12_6, BUNDLE, 90,
                CUDA_12_4));
        assertTrue(noPtx.startsWith("the bundled PTX was asked for (cortado.cuda.kernels=ptx) but the bundled PTX"),
                noPtx);
        String noNvrtc = unusable(KernelPlan.choose(KernelPath.NVRTC, NO_NVRTC, new int[0], BUNDLE, 90, CUDA_13_0));
        assertEquals("NVRTC was asked for (cortado.cuda.kernels=nvrtc) but libnvrtc.so.12 not found", noNvrtc);
    }

    @Test
    void theSettingIsReadFromThePropertyThenTheEnvironment() {
        assertNull(KernelPath.requested(null, Map.of()));
        assertEquals(KernelPath.BUNDLED_PTX, KernelPath.requested(null, Map.of("CORTADO_CUDA_KERNELS", "PTX")));
        assertEquals(KernelPath.NVRTC, KernelPath.requested("nvrtc", Map.of("CORTADO_CUDA_KERNELS", "ptx")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelPath.requested("cubin", Map.of()));
        assertEquals("-Dcortado.cuda.kernels=cubin is not a kernel path (expected nvrtc or ptx)", e.getMessage());
    }
}
