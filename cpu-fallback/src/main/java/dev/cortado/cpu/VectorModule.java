package dev.cortado.cpu;

/** Whether the JVM was started with the Vector API's incubator module, which the fastest loops need. */
public final class VectorModule {
    /** The module's name, as {@code --add-modules} takes it. */
    public static final String NAME = "jdk.incubator.vector";

    private VectorModule() {
    }

    /** True when the module is in the boot layer; only then may a class that uses the Vector API be loaded. */
    public static boolean present() {
        return ModuleLayer.boot().findModule(NAME).isPresent();
    }
}
