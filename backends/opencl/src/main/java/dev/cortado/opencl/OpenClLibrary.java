package dev.cortado.opencl;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds and loads the OpenCL ICD loader on Linux before JOCL does. When JOCL's native code cannot open the library
 * it prints two lines of its own on stderr ("Could not load libOpenCL.so.1, error ..."), after the probe has
 * already turned the failure into a reason; loading the library first from Java, where the dynamic linker would
 * find it, turns a missing or broken library into an {@link UnsatisfiedLinkError} and JOCL is never asked. Once
 * loaded, JOCL's own {@code dlopen("libOpenCL.so.1")} finds the same library by its soname.
 */
final class OpenClLibrary {
    /** The names JOCL opens, in its order. */
    static final List<String> NAMES = List.of("libOpenCL.so.1", "libOpenCL.so");
    private static final Path LD_SO_CACHE = Path.of("/etc/ld.so.cache");
    private static final List<Path> DEFAULT_DIRS = List.of(Path.of("/lib/x86_64-linux-gnu"),
            Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/lib/aarch64-linux-gnu"),
            Path.of("/usr/lib/aarch64-linux-gnu"), Path.of("/lib64"), Path.of("/usr/lib64"), Path.of("/lib"),
            Path.of("/usr/lib"));
    private static boolean loaded;

    private OpenClLibrary() {
    }

    /**
     * Loads the ICD loader on Linux (once per process); elsewhere does nothing and leaves it to JOCL.
     *
     * @throws UnsatisfiedLinkError naming what is missing or why the library found does not load
     */
    static synchronized void load() {
        if (loaded || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return;
        }
        List<Path> found = locate(System.getenv("LD_LIBRARY_PATH"), readCache(), DEFAULT_DIRS);
        if (found.isEmpty()) {
            throw new UnsatisfiedLinkError(String.join(" or ", NAMES) + " not found in LD_LIBRARY_PATH, "
                    + LD_SO_CACHE + " or the system's library folders");
        }
        UnsatisfiedLinkError first = null;
        // The first that loads, as the dynamic linker skips a library of another architecture.
        for (Path library : found) {
            try {
                System.load(library.toAbsolutePath().toString());
                loaded = true;
                return;
            } catch (UnsatisfiedLinkError e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    /**
     * The files the dynamic linker would try, in its order: in the folders of {@code LD_LIBRARY_PATH}, then the
     * paths in its cache ({@code /etc/ld.so.cache}, as bytes), then in the default folders.
     */
    static List<Path> locate(String ldLibraryPath, byte[] cache, List<Path> defaultDirs) {
        List<Path> candidates = new ArrayList<>();
        if (ldLibraryPath != null) {
            for (String dir : ldLibraryPath.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    NAMES.forEach(name -> candidates.add(Path.of(dir, name)));
                }
            }
        }
        candidates.addAll(cachedPaths(cache));
        for (Path dir : defaultDirs) {
            NAMES.forEach(name -> candidates.add(dir.resolve(name)));
        }
        return candidates.stream().filter(Files::isRegularFile).distinct().toList();
    }

    /** The absolute paths of the library in the cache's string table, in the cache's order. */
    private static List<Path> cachedPaths(byte[] cache) {
        List<Path> paths = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= cache.length; i++) {
            if (i == cache.length || cache[i] == 0) {
                String entry = new String(cache, start, i - start, StandardCharsets.ISO_8859_1);
                if (entry.startsWith("/") && NAMES.stream().anyMatch(name -> entry.endsWith("/" + name))) {
                    paths.add(Path.of(entry));
                }
                start = i + 1;
            }
        }
        return paths;
    }

    private static byte[] readCache() {
        try {
            return Files.readAllBytes(LD_SO_CACHE);
        } catch (IOException | SecurityException e) {
            return new byte[0];
        }
    }
}
