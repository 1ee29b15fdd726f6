package dev.cortado.opencl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether the JVM's signal-chaining library ({@code libjsig}) is loaded into this process. Without it an OpenCL
 * driver that installs its own {@code SIGSEGV} handler (PoCL does, through LLVM) can crash the JVM at a safepoint;
 * the README's "OpenCL drivers and the JVM's signals" explains. Shown by {@code cortado devices}.
 */
final class SignalChaining {
    private static final Path MAPS = Path.of("/proc/self/maps");

    private SignalChaining() {
    }

    /** The status line for this process, or empty where there is no {@code /proc/self/maps} (not Linux). */
    static Optional<String> status() {
        try {
            return Optional.of(describe(Files.readString(MAPS)));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The status line for a process whose memory map ({@code /proc/<pid>/maps}) is {@code maps}. */
    static String describe(String maps) {
        return loaded(maps) ? "on (libjsig preloaded)"
                : "off: a driver that installs signal handlers (PoCL) can crash the JVM; "
                        + "start java with LD_PRELOAD=$JAVA_HOME/lib/libjsig.so";
    }

    static boolean loaded(String maps) {
        return maps.contains("/libjsig.so");
    }
}
