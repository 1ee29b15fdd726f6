package dev.cortado.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.GemmSpec;
import dev.cortado.backend.OutOfDeviceMemoryException;
import dev.cortado.device.DeviceInfo;
import dev.cortado.device.DeviceUnavailableException;
import dev.cortado.device.Devices;
import dev.cortado.kernel.GemmChoice;
import dev.cortado.kernel.KernelBackend;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On a GPU: close() releases every CUDA object, memory exhaustion reaches the pool as out-of-memory, tensors of
 * another backend are refused, and the details name the kernel path and GEMM in use. Skipped, with the probe's
 * reason, without one.
 */
class CudaLifecycleTest {

    @BeforeEach
    void requireDevice() {
        DeviceInfo info = CudaBackendProvider.probedDevices().get(0).info();
        if (!info.isAvailable()) {
            System.out.println("skipping CudaLifecycleTest: cuda:0 is unavailable: " + info.reason());
        }
        Assumptions.assumeTrue(info.isAvailable(), () -> "cuda:0 is unavailable: " + info.reason());
    }

    @Test
    void closeReleasesEverythingAfterAWorkloadOnEitherGemm() {
        for (GemmChoice gemm : GemmChoice.values()) {
            CudaBackend backend = CudaBackendProvider.open(CudaTestDevice.DEVICE, null, gemm);
            Random random = new Random(7);
            float[] a = new float[37 * 53];
            float[] b = new float[53 * 29];
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextFloat();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextFloat();
            }
            Tensor ta = backend.upload(Shape.of(37, 53), a);
            Tensor tb = backend.upload(Shape.of(53, 29), b);
            Tensor tc = backend.allocate(Shape.of(37, 29));
            backend.gemm(GemmSpec.of(false, false, 37, 29, 53), ta, tb, tc);
            Tensor sums = backend.allocate(Shape.of(29));
            backend.sum(tc, 1, 37, 29, 1f, 0f, sums);
            backend.argmax(tc, 37, 29, backend.allocate(Shape.of(37)));
            float[] product = tc.toArray();
            assertTrue(product[0] > 0, "the product was computed");
            Map<CudaObjects.Kind, Long> during = backend.liveObjects();
            assertTrue(during.getOrDefault(CudaObjects.Kind.MODULE, 0L) >= 3, during.toString());
            assertTrue(during.getOrDefault(CudaObjects.Kind.PINNED_HOST_BUFFER, 0L) >= 1, during.toString());
            tb.close();
            backend.close();
            assertEquals(Map.of(), backend.liveObjects(), gemm + ": CUDA objects left alive after close()");
            backend.close();
            assertThrows(IllegalStateException.class, () -> backend.allocate(Shape.of(1)).close());
        }
    }

    /**
     * Fills the device with the largest tensors the backend allows until one no longer fits: on a GPU of any size
     * the last request then fails even after the pool gave its cache back, and says so.
     */
    @Test
    void anAllocationThatDoesNotFitEmptiesThePoolsCacheAndRetriesOnce() {
        try (CudaBackend backend = CudaBackendProvider.open(CudaTestDevice.DEVICE, null, null)) {
            backend.allocate(Shape.of(1000)).close();
            assertEquals(1, backend.pool().stats().cachedBuffers());
            List<Tensor> filling = new ArrayList<>();
            OutOfDeviceMemoryException e = null;
            while (e == null && filling.size() < 10_000) {
                try {
                    filling.add(backend.allocate(Shape.of((int) CudaAllocator.MAX_FLOATS)));
                } catch (OutOfDeviceMemoryException full) {
                    e = full;
                }
            }
            assertNotNull(e, "a device that holds 10,000 tensors of 8 GiB");
            assertTrue(e.getMessage().contains("retried"), e.getMessage());
            assertEquals(0, backend.pool().stats().cachedBuffers(), "the pool emptied its cache before retrying");
            filling.forEach(Tensor::close);
        }
    }

    @Test
    void tensorsOfAnotherBackendAreRefused() {
        try (KernelBackend one = CudaBackendProvider.open(CudaTestDevice.DEVICE, null, null);
             KernelBackend two = CudaBackendProvider.open(CudaTestDevice.DEVICE, null, null)) {
            Tensor mine = one.allocate(Shape.of(4));
            Tensor theirs = two.upload(Shape.of(4), new float[] {1, 2, 3, 4});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> one.copy(theirs, mine));
            assertTrue(e.getMessage().contains("does not belong to this CUDA backend"), e.getMessage());
            assertArrayEquals(new float[] {1, 2, 3, 4}, theirs.toArray(), "two backends share the primary context");
        }
    }

    @Test
    void theDetailsNameTheKernelPathAndTheGemmInUse() {
        try (var backend = Devices.system().open(CudaTestDevice.DEVICE)) {
            Map<String, String> details = backend.info().details();
            assertTrue(details.get("kernels").startsWith("NVRTC") || details.get("kernels").startsWith("bundled PTX"),
                    details.toString());
            String gemm = details.get("gemm");
            assertTrue(CudaLibraries.cublas().isLoaded() ? gemm.startsWith("cuBLAS 12.") : gemm.startsWith("tiled"),
                    details.toString());
            System.out.println("cuda:0 details: " + details);
        }
    }

    @Test
    void theBundledPtxRunsWhereTheDriverCanLoadIt() {
        CudaBackend ptx;
        try {
            ptx = CudaBackendProvider.open(CudaTestDevice.DEVICE, KernelPath.BUNDLED_PTX, GemmChoice.TILED);
        } catch (DeviceUnavailableException e) {
            Assumptions.abort(e.getMessage());
            return;
        }
        try (ptx) {
            Tensor t = ptx.upload(Shape.of(3), new float[] {1, -2, 3});
            ptx.affine(2f, t, 1f, t);
            assertArrayEquals(new float[] {3, -3, 7}, t.toArray());
            assertEquals(1, ptx.loadedVariants().size(), ptx.loadedVariants().toString());
        }
    }
}
