package dev.cortado.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.device.DeviceInfo;
import dev.cortado.device.DeviceKind;
import dev.cortado.device.DeviceSelection;
import dev.cortado.device.Devices;
import dev.cortado.kernel.GemmChoice;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jcuda.driver.CUresult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The probe never throws and explains itself: for real on this machine (no NVIDIA driver in CI), and with a
 * scripted driver for the machines this one is not.
 */
class CudaProbeTest {
    private static final LibraryStatus CUBLAS = LibraryStatus.loaded(null);
    private static final LibraryStatus NO_CUBLAS = LibraryStatus.missing("libcublas.so.12 not found");
    private static final String NO_DRIVER = "no NVIDIA driver (libcuda.so.1 not found): install the NVIDIA driver";

    private static CudaDevice h200(int index) {
        return new CudaDevice(index, "NVIDIA H200", 90, 150L << 30, 132, 1024, new long[] {1024, 1024, 64},
                new long[] {Integer.MAX_VALUE, 65535, 65535}, 49152, KernelPlanTest.CUDA_12_4);
    }

    /** A driver that reports {@code count} H200s, or fails with {@code failure}. */
    private static CudaInventory driver(int count, Throwable failure) {
        return new CudaInventory() {
            @Override
            public int driverVersion() {
                if (failure instanceof RuntimeException e) {
                    throw e;
                }
                if (failure instanceof Error e) {
                    throw e;
                }
                return KernelPlanTest.CUDA_12_4;
            }

            @Override
            public int deviceCount() {
                return count;
            }

            @Override
            public CudaDevice describe(int index, int driverVersion) {
                if (index == 1) {
                    throw new CudaCallException("cuDeviceGetAttribute(75)", CUresult.CUDA_ERROR_UNKNOWN);
                }
                return h200(index);
            }
        };
    }

    private static CudaProbe.Environment environment(LibraryStatus nvrtc, LibraryStatus cublas, GemmChoice gemm) {
        return new CudaProbe.Environment(nvrtc, nvrtc.isLoaded() ? KernelPlanTest.ARCHS_12_6 : new int[0], cublas,
                KernelPlanTest.BUNDLE, null, gemm);
    }

    @Test
    void withoutADriverCudaZeroIsUnavailableWithAReasonAndProbingAgainSaysTheSame() {
        Assumptions.assumeFalse(CudaTestDevice.driverInstalled(), "an NVIDIA driver is installed here");
        for (int attempt = 0; attempt < 2; attempt++) {
            // The first attempt in this JVM may meet UnsatisfiedLinkError, every later one NoClassDefFoundError.
            List<ProbedCudaDevice> probed = CudaProbe.probe(CudaInventory.jcuda(),
                    CudaProbe.Environment.current(null, null));
            assertEquals(1, probed.size());
            DeviceInfo info = probed.get(0).info();
            assertEquals(CudaTestDevice.DEVICE, info.device());
            assertFalse(info.isAvailable());
            assertTrue(info.reason().startsWith(NO_DRIVER), info.reason());
        }
    }

    @Test
    void theDriverBindingIsTriedOnceAndItsFirstFailureKept() {
        Assumptions.assumeFalse(CudaTestDevice.driverInstalled(), "an NVIDIA driver is installed here");
        UnsatisfiedLinkError first = assertThrows(UnsatisfiedLinkError.class, CudaDriver::load);
        UnsatisfiedLinkError second = assertThrows(UnsatisfiedLinkError.class, CudaDriver::load);
        assertSame(first, second, "JCuda would throw NoClassDefFoundError the second time, naming nothing");
        assertEquals(Optional.of("libcuda.so.1"), LinkFailure.missingLibrary(first), first.getMessage());
    }

    @Test
    void theOptionalLibrariesSayWhichFileIsMissing() {
        LibraryStatus nvrtc = CudaLibraries.nvrtc();
        LibraryStatus cublas = CudaLibraries.cublas();
        Assumptions.assumeFalse(nvrtc.isLoaded() && cublas.isLoaded(), "NVRTC and cuBLAS are installed here");
        if (!nvrtc.isLoaded()) {
            assertEquals("libnvrtc.so.12 not found", nvrtc.problem());
            assertEquals(0, CudaLibraries.nvrtcArchitectures().length);
        }
        if (!cublas.isLoaded()) {
            assertEquals("libcublas.so.12 not found", cublas.problem());
        }
        assertEquals(nvrtc, CudaLibraries.nvrtc(), "the answer is cached");
    }

    @Test
    void theSystemDevicesListCudaZeroAndTheBestDeviceFallsBackToTheCpu() {
        Assumptions.assumeFalse(CudaTestDevice.driverInstalled(), "an NVIDIA driver is installed here");
        DeviceInfo cuda = Devices.system().list().stream().filter(i -> i.device().kind() == DeviceKind.CUDA)
                .findFirst().orElseThrow();
        assertTrue(cuda.reason().startsWith(NO_DRIVER), cuda.reason());
        DeviceSelection best = Devices.system().best();
        assertEquals(DeviceKind.CPU, best.info().device().kind());
        assertTrue(best.why().contains("cuda:0: " + NO_DRIVER), best.why());
    }

    @Test
    void theReasonsForAWholeStackThatFails() {
        assertEquals(List.of("no CUDA device: the NVIDIA driver is installed but sees no GPU (check nvidia-smi and "
                + "CUDA_VISIBLE_DEVICES)"), reasons(driver(0, null)));
        assertEquals(reasons(driver(0, null)), reasons(driver(3, new CudaCallException("cuInit",
                CUresult.CUDA_ERROR_NO_DEVICE))));
        String mismatch = reasons(driver(1, new CudaCallException("cuInit",
                CUresult.CUDA_ERROR_SYSTEM_DRIVER_MISMATCH))).get(0);
        assertTrue(mismatch.startsWith("the NVIDIA driver's kernel module and libcuda.so.1 are of different "
                + "versions"), mismatch);
        String linkage = reasons(driver(1, new UnsatisfiedLinkError("/tmp/libJCudaDriver-12.6.0-linux-x86_64.so: "
                + "/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found"))).get(0);
        assertEquals("the JCuda 12.6.0 native library could not be loaded: UnsatisfiedLinkError: "
                + "/tmp/libJCudaDriver-12.6.0-linux-x86_64.so: /lib/x86_64-linux-gnu/libc.so.6: version "
                + "`GLIBC_2.34' not found", linkage);
    }

    @Test
    void aDeviceTheDriverCannotDescribeKeepsItsNumberAndTheOthersWork() {
        List<ProbedCudaDevice> probed = CudaProbe.probe(driver(3, null),
                environment(KernelPlanTest.NVRTC_12_6, CUBLAS, null));
        assertEquals(3, probed.size());
        assertTrue(probed.get(0).info().isAvailable() && probed.get(2).info().isAvailable());
        assertEquals("cuda:1", probed.get(1).info().device().toString());
        assertTrue(probed.get(1).info().reason().contains("CUDA_ERROR_UNKNOWN"), probed.get(1).info().reason());
    }

    @Test
    void theDetailsShowTheKernelPathAndTheGemm() {
        ProbedCudaDevice full = CudaProbe.probe(driver(1, null), environment(KernelPlanTest.NVRTC_12_6, CUBLAS, null))
                .get(0);
        assertEquals(GemmChoice.LIBRARY, full.gemm());
        Map<String, String> details = full.info().details();
        assertEquals("9.0", details.get("compute capability"));
        assertEquals("supports CUDA 12.4", details.get("driver"));
        assertTrue(details.get("kernels").startsWith("NVRTC 12.6 (libnvrtc.so.12), compiled for sm_90"),
                details.toString());
        assertEquals("cuBLAS (libcublas.so.12)", details.get("gemm"));
        assertTrue(full.info().accelerator());
        assertEquals(132, full.info().computeUnits());

        ProbedCudaDevice driverOnly = CudaProbe.probe(new CudaInventory() {
            @Override
            public int driverVersion() {
                return KernelPlanTest.CUDA_13_0;
            }

            @Override
            public int deviceCount() {
                return 1;
            }

            @Override
            public CudaDevice describe(int index, int driverVersion) {
                return h200(index);
            }
        }, environment(KernelPlanTest.NO_NVRTC, NO_CUBLAS, null)).get(0);
        assertEquals(GemmChoice.TILED, driverOnly.gemm());
        assertTrue(driverOnly.info().details().get("kernels").startsWith("bundled PTX"), driverOnly.info().details()
                .toString());
        assertEquals("tiled kernel, 128x128x16 tiles, 8x8 per work-item (nvidia gpu) (cuBLAS is not used: "
                + "libcublas.so.12 not found; large products run slower)", driverOnly.info().details().get("gemm"));
    }

    @Test
    void aGemmAskedForIsKept() {
        assertEquals(GemmChoice.TILED, CudaProbe.probe(driver(1, null),
                environment(KernelPlanTest.NVRTC_12_6, CUBLAS, GemmChoice.TILED)).get(0).gemm());
        ProbedCudaDevice forced = CudaProbe.probe(driver(1, null),
                environment(KernelPlanTest.NVRTC_12_6, NO_CUBLAS, GemmChoice.LIBRARY)).get(0);
        assertEquals(GemmChoice.LIBRARY, forced.gemm());
        assertEquals("cuBLAS was asked for but libcublas.so.12 not found; GEMM runs on the tiled kernel",
                forced.info().details().get("gemm"));
        assertEquals(GemmChoice.TILED, CudaBackendProvider.GEMM.configured("tiled", Map.of()));
        assertNull(CudaBackendProvider.GEMM.configured(null, Map.of()), "unset: cuBLAS when it loads");
    }

    private static List<String> reasons(CudaInventory inventory) {
        return CudaProbe.probe(inventory, environment(KernelPlanTest.NVRTC_12_6, CUBLAS, null)).stream()
                .map(p -> p.info().reason()).toList();
    }
}
