package dev.cortado.cpu;

import java.util.concurrent.atomic.AtomicBoolean;

/** Whether the JVM was started with the Vector API's incubator module, which the fastest loops need. */
public final class VectorModule {
    /** The module's name, as {@code --add-modules} takes it. */
    public static final String NAME = "jdk.incubator.vector";

    /** What is lost without the module, and the flag that brings it. */
    public static final String MISSING = "the CPU backend runs scalar loops, 2 to 5 times slower: start java with "
            + "--add-modules " + NAME + " for the Vector API";

    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private VectorModule() {
    }

    /** True when the module is in the boot layer; only then may a class that uses the Vector API be loaded. */
    public static boolean present() {
        return ModuleLayer.boot().findModule(NAME).isPresent();
    }

    /**
     * Logs {@link #MISSING} once per JVM, at WARNING through the platform logger ({@code java.util.logging}
     * unless the application routes {@link System.Logger} elsewhere), when the module is absent.
     */
    static void warnIfAbsent() {
        if (!present() && WARNED.compareAndSet(false, true)) {
            System.getLogger(VectorModule.class.getPackageName()).log(System.Logger.Level.WARNING, MISSING);
        }
    }

    /** The {@code vector api} line of {@code cortado devices}. */
    static String describe() {
        return present() ? "on (" + NAME + ")" : "off: " + MISSING;
    }
}
