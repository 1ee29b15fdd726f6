package dev.cortado.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.PoolStats;
import dev.cortado.device.Device;
import dev.cortado.device.DeviceInfo;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TensorTest {
    private final MemoryOnlyBackend backend = new MemoryOnlyBackend(
            DeviceInfo.available(Device.CPU, "test host", false, 0, 1, Map.of()));

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    private static float[] iota(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i + 1;
        }
        return v;
    }

    @Test
    void allocatedTensorsOwnAPooledBufferOfTheirSize() {
        Tensor t = backend.allocate(Shape.of(3, 5));
        assertEquals(Shape.of(3, 5), t.shape());
        assertEquals(15, t.size());
        assertEquals(15, t.buffer().capacity());
        assertEquals(0, t.offset());
        assertSame(backend, t.backend());
        assertEquals(1, backend.pool().stats().liveBuffers());
        t.close();
    }

    @Test
    void reshapeIsAViewOfTheSameMemory() {
        try (Tensor t = backend.upload(Shape.of(2, 6), iota(12))) {
            Tensor r = t.reshape(Shape.of(3, 2, 2));
            assertEquals(Shape.of(3, 2, 2), r.shape());
            assertSame(t.buffer(), r.buffer());
            assertArrayEquals(iota(12), r.toArray());
            backend.fill(r, 7f);
            assertEquals(7f, t.toArray()[11], "writes through the view reach the owner");
        }
    }

    @Test
    void reshapeToAnotherSizeNamesBothShapes() {
        try (Tensor t = backend.allocate(Shape.of(2, 6))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> t.reshape(Shape.of(5, 2)));
            assertTrue(e.getMessage().contains("[2, 6]") && e.getMessage().contains("[5, 2]"), e.getMessage());
        }
    }

    @Test
    void sliceSelectsRowsOfTheFirstAxis() {
        try (Tensor t = backend.upload(Shape.of(4, 3), iota(12))) {
            Tensor rows = t.slice(1, 3);
            assertEquals(Shape.of(2, 3), rows.shape());
            assertEquals(3, rows.offset());
            assertSame(t.buffer(), rows.buffer());
            assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9}, rows.toArray());

            Tensor inner = rows.slice(1, 2);
            assertEquals(6, inner.offset(), "offsets of views of views add up");
            assertArrayEquals(new float[] {7, 8, 9}, inner.toArray());
            assertEquals(6, inner.reshape(Shape.of(3)).offset(), "a reshaped view keeps its offset");
            assertEquals(0, t.slice(2, 2).size(), "an empty slice is allowed");
        }
    }

    /**
     * Zeros are known after a fill with zeros, for the tensor and every view inside it, until any op writes the
     * buffer: through another view too, since the record is the buffer's.
     */
    @Test
    void zerosAreKnownAfterAFillWithZerosUntilTheBufferIsWritten() {
        try (Tensor t = backend.allocate(Shape.of(4, 3))) {
            assertFalse(t.knownZeros(), "a new tensor's contents are undefined");
            backend.fill(t, 0f);
            assertTrue(t.knownZeros());
            assertTrue(t.slice(1, 3).knownZeros() && t.reshape(Shape.of(12)).knownZeros(), "views inside it");
            backend.fill(t, 1f);
            assertFalse(t.knownZeros(), "a fill with ones");

            backend.fill(t.slice(1, 2), -0f);
            assertTrue(t.slice(1, 2).knownZeros(), "negative zeros are zeros");
            assertFalse(t.knownZeros() || t.slice(0, 2).knownZeros(), "rows outside the zeroed one");
            backend.upload(new float[] {1, 2, 3}, 0, t.slice(3, 4));
            assertFalse(t.slice(1, 2).knownZeros(), "another view's write forgets what was known of the buffer");
        }
    }

    @Test
    void sliceOutOfRangeNamesTheRangeAndShape() {
        try (Tensor t = backend.allocate(Shape.of(4, 3))) {
            for (int[] bad : new int[][] {{-1, 2}, {1, 5}, {3, 2}}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> t.slice(bad[0], bad[1]));
                assertTrue(e.getMessage().contains("[" + bad[0] + ", " + bad[1] + ")")
                        && e.getMessage().contains("[4, 3]"), e.getMessage());
            }
            Tensor scalar = t.reshape(Shape.of(12)).slice(0, 1).reshape(Shape.of());
            assertThrows(IllegalArgumentException.class, () -> scalar.slice(0, 1), "a scalar has no rows");
        }
    }

    @Test
    void closeReturnsTheBufferOnceAndViewsReturnNothing() {
        Tensor t = backend.allocate(Shape.of(10));
        Tensor view = t.slice(2, 5);
        view.close();
        assertEquals(1, backend.pool().stats().liveBuffers(), "closing a view leaves the owner's buffer alone");
        t.close();
        PoolStats closed = backend.pool().stats();
        t.close();
        assertEquals(closed, backend.pool().stats(), "a second close does nothing");
        assertEquals(0, closed.liveBuffers());
        assertEquals(1, closed.cachedBuffers());
        Tensor again = backend.allocate(Shape.of(2, 5));
        assertSame(t.buffer(), again.buffer(), "a tensor of the same size gets the returned buffer");
        again.close();
    }

    @Test
    void itemNeedsExactlyOneElement() {
        try (Tensor one = backend.upload(Shape.of(1, 1), new float[] {2.5f});
             Tensor two = backend.upload(Shape.of(2), new float[] {1, 2})) {
            assertEquals(2.5f, one.item());
            IllegalStateException e = assertThrows(IllegalStateException.class, two::item);
            assertTrue(e.getMessage().contains("[2]"), e.getMessage());
        }
    }

    @Test
    void uploadChecksTheDataLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.upload(Shape.of(2, 3), new float[5]));
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void printsShapeAndDevice() {
        try (Tensor t = backend.allocate(Shape.of(2, 3))) {
            assertEquals("Tensor[2, 3] on cpu", t.toString());
        }
    }
}
