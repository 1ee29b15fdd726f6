package dev.cortado.kernel;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A ledger of the native objects one backend created and released, by kind, so a test can check that
 * {@code close()} leaves nothing alive. Nothing a device API hands out is garbage-collected, so every create is
 * paired with a release by the code that owns the object.
 *
 * @param <K> the kinds of object of one device API
 */
public class ObjectLedger<K extends Enum<K>> {
    private final String api;
    private final Map<K, Long> live;

    /** A ledger of the {@code api}'s objects (the name is for messages) of the kinds {@code kinds}. */
    public ObjectLedger(String api, Class<K> kinds) {
        this.api = api;
        this.live = new EnumMap<>(kinds);
    }

    /** One object of {@code kind} was created. */
    public final synchronized void created(K kind) {
        live.merge(kind, 1L, Long::sum);
    }

    /** One object of {@code kind} was released. */
    public final synchronized void released(K kind) {
        long now = live.getOrDefault(kind, 0L) - 1;
        if (now < 0) {
            throw new IllegalStateException("released more " + api + " " + kind + " objects than were created");
        }
        live.put(kind, now);
    }

    /** Live objects by kind, zero counts left out. */
    public final synchronized Map<K, Long> live() {
        Map<K, Long> copy = new LinkedHashMap<>();
        live.forEach((kind, count) -> {
            if (count > 0) {
                copy.put(kind, count);
            }
        });
        return copy;
    }
}
