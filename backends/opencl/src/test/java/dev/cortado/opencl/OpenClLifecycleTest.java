package dev.cortado.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.Activation;
import dev.cortado.backend.AdamStep;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.DropoutSpec;
import dev.cortado.backend.GemmSpec;
import dev.cortado.backend.OutOfDeviceMemoryException;
import dev.cortado.backend.PoolSpec;
import dev.cortado.backend.SgdStep;
import dev.cortado.backend.UnaryOp;
import dev.cortado.device.Devices;
import dev.cortado.kernel.GemmChoice;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** close() releases every OpenCL object; allocation failures reach the pool as out-of-memory. */
class OpenClLifecycleTest {
    @TempDir
    Path cache;

    @ParameterizedTest
    @EnumSource(GemmChoice.class)
    void closeReleasesEverythingAfterAWorkload(GemmChoice gemm) {
        OpenClBackend backend = OpenClTestDevice.open(cache, gemm);
        runEveryOp(backend);
        Map<ClObjects.Kind, Long> during = backend.liveObjects();
        assertTrue(during.getOrDefault(ClObjects.Kind.KERNEL, 0L) > 10, "the workload built kernels: " + during);
        assertTrue(during.getOrDefault(ClObjects.Kind.BUFFER, 0L) > 5, "the workload made buffers: " + during);
        backend.close();
        assertEquals(Map.of(), backend.liveObjects(), "OpenCL objects left alive after close()");
        backend.close();
        assertThrows(IllegalStateException.class, () -> backend.allocate(Shape.of(1)).close());
    }

    /** Every op once; some tensors are closed, others are left for close() to reclaim. */
    static void runEveryOp(OpenClBackend b) {
        Tensor x = b.upload(Shape.of(2, 3, 4, 4), new float[96]);
        b.fill(x, 0.5f);
        Tensor y = b.allocate(Shape.of(96));
        b.copy(x.reshape(Shape.of(96)), y);
        ConvGeometry g = new ConvGeometry(2, 3, 4, 4, 3, 3, 1, 1, 1);
        Tensor cols = b.allocate(Shape.of(g.columnRows(), (int) g.columnCols()));
        b.im2col(g, x, cols);
        b.col2im(g, cols, x);
        Tensor w = b.allocate(Shape.of(5, g.columnRows()));
        b.fill(w, 0.1f);
        Tensor out = b.allocate(Shape.of(5, (int) g.columnCols()));
        b.gemm(GemmSpec.of(false, false, 5, (int) g.columnCols(), g.columnRows()), w, cols, out);
        Tensor swapped = b.allocate(Shape.of(2, 5, 16));
        b.swapLeadingAxes(5, 2, 16, out, swapped);
        b.map(UnaryOp.EXP, y, y);
        b.affine(2f, y, 1f, y);
        b.zip(BinaryOp.MUL, y, y, 1, y);
        b.axpby(1f, y, 0.5f, y);
        Tensor sums = b.allocate(Shape.of(6));
        b.sum(y, 2, 16, 3, 1f, 0f, sums);
        Tensor logits = y.reshape(Shape.of(8, 12));
        Tensor labels = b.upload(Shape.of(8), new float[] {0, 1, 2, 3, 4, 5, 6, 7});
        Tensor probs = b.allocate(Shape.of(8, 12));
        Tensor loss = b.allocate(Shape.of(8));
        b.softmaxCrossEntropyForward(logits, labels, probs, loss);
        b.softmaxCrossEntropyBackward(probs, labels, 0.125f, probs);
        b.argmax(probs, 8, 12, loss);
        PoolSpec pool = new PoolSpec(PoolSpec.Kind.MAX, 2, 3, 4, 4, 2, 2, 0);
        Tensor pooled = b.allocate(Shape.of(24));
        b.poolForward(pool, x, pooled);
        b.poolBackward(pool, x, pooled, y.reshape(Shape.of(2, 3, 4, 4)));
        b.activationForward(Activation.TANH, 0f, y, y);
        b.activationBackward(Activation.TANH, 0f, null, y, y, y);
        b.dropoutForward(new DropoutSpec(0.5f, 1, 2), y, y);
        b.dropoutBackward(new DropoutSpec(0.5f, 1, 2), y, y);
        Tensor v = b.allocate(Shape.of(96));
        b.fill(v, 0f);
        b.sgdUpdate(new SgdStep(0.1f, 0.9f, 0f, false), y, y, v);
        b.adamUpdate(new AdamStep(0.1f, 0.9f, 0.99f, 1e-8f, 0f, true, 1), y, y, v, v);
        loss.toArray();
        swapped.close();
        sums.close();
        probs.close();
    }

    /**
     * The backend opened over the real device, but with 1 MiB of global memory: the allocator's accounting and the
     * pool's retry then behave the same whatever memory the driver reports on this machine (PoCL reports most of
     * the host's RAM and grants 8 GiB requests lazily, so "more than the device" cannot be asked for directly).
     */
    @Test
    void anAllocationThatDoesNotFitEmptiesThePoolsCacheAndRetriesOnce() {
        long limitBytes = 1 << 20;
        try (OpenClBackend backend = OpenClTestDevice.open(limited(OpenClTestDevice.require(), limitBytes,
                limitBytes), cache, GemmChoice.TILED)) {
            backend.allocate(Shape.of(150_000)).close();
            assertEquals(1, backend.pool().stats().cachedBuffers());

            // 600 KB cached + 800 KB asked: only fits once the cache is given back to the device.
            Tensor live = backend.allocate(Shape.of(200_000));
            assertEquals(0, backend.pool().stats().cachedBuffers(), "the pool emptied its cache, then retried");

            backend.allocate(Shape.of(1000)).close();
            // 800 KB live + 400 KB asked: does not fit even after the retry.
            OutOfDeviceMemoryException e = assertThrows(OutOfDeviceMemoryException.class,
                    () -> backend.pool().acquire(100_000));
            assertTrue(e.getMessage().contains("retried"), e.getMessage());
            assertTrue(e.getMessage().contains("800000 bytes in use"), e.getMessage());
            assertEquals(0, backend.pool().stats().cachedBuffers(), "the pool emptied its cache before retrying");
            live.close();
        }
    }

    @Test
    void aRequestAboveTheLargestSingleAllocationIsOutOfMemory() {
        ProbedDevice real = OpenClTestDevice.require();
        int maxAllocFloats = 1 << 18;
        try (OpenClBackend backend = OpenClTestDevice.open(limited(real, real.device().globalMemBytes(),
                maxAllocFloats * 4L), cache, GemmChoice.TILED)) {
            OutOfDeviceMemoryException e = assertThrows(OutOfDeviceMemoryException.class,
                    () -> backend.allocate(Shape.of(maxAllocFloats + 1)));
            assertTrue(e.getMessage().contains("CL_DEVICE_MAX_MEM_ALLOC_SIZE"), e.getMessage());
            backend.allocate(Shape.of(maxAllocFloats)).close();
        }
    }

    /** The probed device with other memory limits, as the allocator will see them. */
    private static ProbedDevice limited(ProbedDevice p, long globalBytes, long maxAllocBytes) {
        ClDevice d = p.device();
        return new ProbedDevice(p.info(), new ClDevice(d.platform(), d.id(), d.name(), d.vendor(), d.platformName(),
                d.driverVersion(), d.openClCVersion(), d.type(), globalBytes, maxAllocBytes, d.localMemBytes(),
                d.maxWorkGroupSize(), d.maxWorkItemSizes(), d.computeUnits(), d.compilerAvailable(),
                d.available()));
    }

    @Test
    void tensorsOfAnotherBackendAreRejected() {
        try (OpenClBackend one = OpenClTestDevice.open(cache); OpenClBackend two = OpenClTestDevice.open(cache)) {
            Tensor mine = one.allocate(Shape.of(4));
            Tensor theirs = two.allocate(Shape.of(4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> one.copy(theirs, mine));
            assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
        }
    }

    @Test
    void theSystemDevicesOpenOpenClZero() {
        OpenClTestDevice.require();
        try (var backend = Devices.system().open(OpenClTestDevice.DEVICE)) {
            Tensor t = backend.upload(Shape.of(2), new float[] {1, 2});
            backend.affine(3f, t, 1f, t);
            float[] r = t.toArray();
            assertEquals(4f, r[0]);
            assertEquals(7f, r[1]);
            assertFalse(backend.info().details().get("gemm").isEmpty());
        }
    }
}
