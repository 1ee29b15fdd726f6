package dev.cortado.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BufferPoolTest {

    /** A device of {@code capacity} floats that counts its calls and fails when full. */
    private static final class FakeDevice implements BufferPool.Allocator {
        private record Block(long capacity) implements DeviceBuffer {
        }

        private final long capacity;
        private long used;
        private int allocateCalls;
        private final List<DeviceBuffer> released = new ArrayList<>();

        FakeDevice(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public DeviceBuffer allocate(long floats) {
            allocateCalls++;
            if (used + floats > capacity) {
                throw new OutOfDeviceMemoryException("fake device full");
            }
            used += floats;
            return new Block(floats);
        }

        @Override
        public void release(DeviceBuffer buffer) {
            used -= buffer.capacity();
            released.add(buffer);
        }

        @Override
        public long freeBytes() {
            return (capacity - used) * 4;
        }
    }

    @Test
    void reusesReturnedBuffersOfExactlyTheSameSize() {
        BufferPool pool = new BufferPool(new FakeDevice(1000));
        DeviceBuffer ten = pool.acquire(10);
        assertEquals(10, ten.capacity());
        pool.release(ten);
        DeviceBuffer eleven = pool.acquire(11);
        assertNotSame(ten, eleven, "no buffer of 11 floats was cached");
        assertSame(ten, pool.acquire(10), "the returned buffer of 10 floats is handed out again");
        assertEquals(new PoolStats(2, 1, 2, 21 * 4, 0, 0), pool.stats());
    }

    @Test
    void statsCountLiveAndCachedBuffers() {
        BufferPool pool = new BufferPool(new FakeDevice(1000));
        DeviceBuffer a = pool.acquire(100);
        DeviceBuffer b = pool.acquire(100);
        pool.acquire(7);
        pool.release(a);
        pool.release(b);
        assertEquals(new PoolStats(3, 0, 1, 28, 2, 800), pool.stats());
        pool.acquire(100);
        assertEquals(new PoolStats(3, 1, 2, 428, 1, 400), pool.stats());
    }

    @Test
    void emptyBuffersTakeOneFloatAndNegativeSizesAreRejected() {
        BufferPool pool = new BufferPool(new FakeDevice(10));
        assertEquals(1, pool.acquire(0).capacity());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.acquire(-3));
        assertTrue(e.getMessage().contains("-3"), e.getMessage());
    }

    @Test
    void clearAndCloseGiveCachedBuffersBackButNotLiveOnes() {
        FakeDevice device = new FakeDevice(1000);
        BufferPool pool = new BufferPool(device);
        DeviceBuffer cached = pool.acquire(30);
        DeviceBuffer live = pool.acquire(40);
        pool.release(cached);
        pool.close();
        assertEquals(List.of(cached), device.released);
        assertEquals(new PoolStats(2, 0, 1, 160, 0, 0), pool.stats());
        pool.release(live);
        pool.clear();
        assertEquals(List.of(cached, live), device.released);
    }

    @Test
    void outOfMemoryEmptiesTheCacheAndRetriesOnce() {
        FakeDevice device = new FakeDevice(100);
        BufferPool pool = new BufferPool(device);
        DeviceBuffer sixty = pool.acquire(60);
        pool.release(sixty);
        DeviceBuffer fifty = pool.acquire(50);
        assertEquals(50, fifty.capacity());
        assertEquals(List.of(sixty), device.released, "the cached buffer was freed to make room");
        assertEquals(3, device.allocateCalls, "one allocation, then one failure and one retry");
        assertEquals(new PoolStats(2, 0, 1, 200, 0, 0), pool.stats());
    }

    @Test
    void outOfMemoryAfterTheRetryGivesSizesInTheMessage() {
        FakeDevice device = new FakeDevice(100);
        BufferPool pool = new BufferPool(device);
        pool.acquire(50);
        OutOfDeviceMemoryException e = assertThrows(OutOfDeviceMemoryException.class, () -> pool.acquire(80));
        assertEquals(3, device.allocateCalls, "exactly one retry");
        String message = e.getMessage();
        assertTrue(message.contains("requested 320 bytes"), message);
        assertTrue(message.contains("200 bytes in use by 1 buffers"), message);
        assertTrue(message.contains("200 bytes free on the device"), message);
        assertEquals("fake device full", e.getCause().getMessage());
        assertEquals(new PoolStats(1, 0, 1, 200, 0, 0), pool.stats(), "a failed request changes no counter");
    }
}
