package dev.cortado.opencl;

import java.util.EnumMap;
import java.util.Map;

/**
 * A ledger of the OpenCL objects one backend created and released, by kind, so a test can check that
 * {@code close()} leaves nothing alive. Nothing in OpenCL is garbage-collected, so every create is paired with a
 * release by the code that owns the object.
 */
final class ClObjects {

    /** The kinds of OpenCL objects the backend creates. */
    enum Kind { CONTEXT, QUEUE, BUFFER, PROGRAM, KERNEL }

    private final Map<Kind, Long> live = new EnumMap<>(Kind.class);

    synchronized void created(Kind kind) {
        live.merge(kind, 1L, Long::sum);
    }

    synchronized void released(Kind kind) {
        long now = live.getOrDefault(kind, 0L) - 1;
        if (now < 0) {
            throw new IllegalStateException("released more OpenCL " + kind + " objects than were created");
        }
        live.put(kind, now);
    }

    /** Live objects by kind, zero counts left out. */
    synchronized Map<Kind, Long> live() {
        Map<Kind, Long> copy = new EnumMap<>(Kind.class);
        live.forEach((kind, count) -> {
            if (count > 0) {
                copy.put(kind, count);
            }
        });
        return copy;
    }
}
