package dev.cortado.cli;

import java.util.Locale;

/** The fix to print with an out-of-memory error: a smaller batch, and for the Java heap, a larger one. */
final class MemoryHint {
    /** The environment variable whose JVM options {@code ./cortado} passes to Java, -Xmx among them. */
    static final String JAVA_OPTS = "CORTADO_JAVA_OPTS";

    private MemoryHint() {
    }

    /** For memory of a device other than the Java heap. */
    static String device() {
        return "lower --batch-size";
    }

    /** For the Java heap. */
    static String heap() {
        return "lower --batch-size, or " + moreHeap();
    }

    /** How to give Java a heap twice the present one (at least 2 GiB). */
    static String moreHeap() {
        long gib = Math.max(2, 2 * Math.round(Runtime.getRuntime().maxMemory() / (double) (1L << 30)));
        String option = String.format(Locale.ROOT, "-Xmx%dg", gib);
        return "give Java more heap: " + JAVA_OPTS + "=" + option + " ./cortado ... (java " + option
                + " -jar cortado.jar ... without the launcher)";
    }
}
