package dev.cortado.spark.ring;

import java.time.Duration;

/**
 * How long a ring waits before it gives a peer up.
 *
 * @param connectTimeout for all the ring's connections to be made when it is joined
 * @param ioTimeout for a peer to send or take any byte of an exchange: longer than the slowest step, evaluation or
 *     checkpoint any worker makes between two exchanges, since the others wait for it that long
 */
public record RingSettings(Duration connectTimeout, Duration ioTimeout) {
    /** Two minutes to connect, ten to exchange. */
    public static final RingSettings DEFAULTS = new RingSettings(Duration.ofMinutes(2), Duration.ofMinutes(10));

    public RingSettings {
        if (connectTimeout.isNegative() || connectTimeout.isZero() || ioTimeout.isNegative() || ioTimeout.isZero()) {
            throw new IllegalArgumentException("ring timeouts must be positive, got connect " + connectTimeout
                    + ", exchange " + ioTimeout);
        }
    }
}
