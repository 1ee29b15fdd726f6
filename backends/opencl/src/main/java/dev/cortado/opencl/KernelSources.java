package dev.cortado.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Reads the kernel files of cortado-kernels-cl from the class path, once each. */
final class KernelSources {
    static final String PACKAGE = "dev/cortado/kernels/";
    private static final Map<String, String> SOURCES = new ConcurrentHashMap<>();

    private KernelSources() {
    }

    /** The text of a kernel file, e.g. {@code gemm.cl}. */
    static String get(String file) {
        return SOURCES.computeIfAbsent(file, KernelSources::read);
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
