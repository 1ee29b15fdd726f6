package dev.cortado.backend;

/**
 * Counters of a {@link BufferPool}. A training step in steady state must leave {@code allocations} unchanged:
 * every buffer it needs comes from the pool.
 *
 * @param allocations buffers ever obtained from the device (pool misses)
 * @param reuses buffers handed out again from the pool (pool hits)
 * @param liveBuffers buffers handed out and not yet returned
 * @param liveBytes bytes in the live buffers
 * @param cachedBuffers returned buffers the pool keeps for reuse
 * @param cachedBytes bytes in the cached buffers
 */
public record PoolStats(long allocations, long reuses, long liveBuffers, long liveBytes, long cachedBuffers,
                        long cachedBytes) {
}
