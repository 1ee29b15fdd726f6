package dev.cortado.it.docker;

import dev.cortado.data.MnistDataset;
import dev.cortado.data.Split;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Host directories bound into job containers. The image runs as the non-root user {@code cortado} (uid 10001),
 * so a directory it writes must be writable by others, one it reads readable by others.
 */
final class Dirs {
    /** Where the CLI keeps its bundled Fashion-MNIST sample (1,000 training and 200 test images) in its jar. */
    private static final String SAMPLE = "dev/cortado/cli/sample/";

    private Dirs() {
    }

    /** A new output directory the container user may write ({@code chmod 777}). */
    static Path out(Path parent, String name) throws IOException {
        return withMode(Files.createDirectories(parent.resolve(name)), "rwxrwxrwx");
    }

    /** Sets a directory's permissions, e.g. {@code r-xr-xr-x} for one the job must not be able to write. */
    static Path withMode(Path dir, String mode) throws IOException {
        return Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
    }

    /**
     * A data directory holding the CLI's bundled sample as the four gzipped IDX files a mounted dataset has,
     * readable by the container user.
     */
    static Path sampleData(Path parent) throws IOException {
        Path dir = withMode(Files.createDirectories(parent.resolve("data")), "rwxr-xr-x");
        for (Split split : Split.values()) {
            for (String name : List.of(MnistDataset.imagesFileName(split), MnistDataset.labelsFileName(split))) {
                String file = name + MnistDataset.GZIP_SUFFIX;
                try (InputStream in = Dirs.class.getClassLoader().getResourceAsStream(SAMPLE + file)) {
                    if (in == null) {
                        throw new IllegalStateException("the CLI's bundled sample has no " + SAMPLE + file);
                    }
                    Files.copy(in, dir.resolve(file));
                }
                Files.setPosixFilePermissions(dir.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        return dir;
    }
}
