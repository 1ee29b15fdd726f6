package dev.cortado.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the kernel files of cortado-kernels-cl from the class path, once each; a kernel file ({@code .cl}) comes
 * with the {@link OpCodes} ahead of its text.
 */
public final class KernelSources {
    /** The class-path folder of the kernel files. */
    public static final String PACKAGE = "dev/cortado/kernels/";
    private static final Map<String, String> SOURCES = new ConcurrentHashMap<>();

    private KernelSources() {
    }

    /** The text of a file, e.g. {@code gemm.cl}: for a kernel file, the source to build, op codes first. */
    public static String get(String file) {
        return SOURCES.computeIfAbsent(file, name -> name.endsWith(".cl") ? OpCodes.DEFINES + read(name)
                : read(name));
    }

    /** Every kernel file, as {@code index.txt} lists them. */
    public static List<String> files() {
        return get("index.txt").lines().map(String::trim).filter(line -> !line.isEmpty()).toList();
    }

    private static String read(String file) {
        try (InputStream in = KernelSources.class.getClassLoader().getResourceAsStream(PACKAGE + file)) {
            if (in == null) {
                throw new IllegalStateException("kernel source " + PACKAGE + file
                        + " is not on the class path (is cortado-kernels-cl missing?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel source " + PACKAGE + file, e);
        }
    }
}
