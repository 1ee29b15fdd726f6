package dev.cortado.cli;

import dev.cortado.data.Dataset;
import dev.cortado.data.DatasetException;
import dev.cortado.data.MnistDataset;
import dev.cortado.data.Split;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --data}: a directory of MNIST-format IDX files. Without it, the Debian {@code dataset-fashion-mnist}
 * location, and where that is absent, the small sample bundled in the jar (with a note on how to get the full
 * set).
 */
final class DataOption {
    /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
    static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    static final String SAMPLE_RESOURCES = "sample/";
    static final String SAMPLE_DESCRIPTION = "the bundled Fashion-MNIST sample (1,000 training and 200 test images)";

    @Option(names = "--data", paramLabel = "DIR", description = "Directory of MNIST-format IDX files (train-/t10k-"
            + "images-idx3-ubyte, -labels-idx1-ubyte, plain or .gz). Default: " + "/usr/share/datasets/fashion-mnist"
            + ", else a small bundled sample.")
    Path data;

    /** Where to look when --data is not given; tests point it elsewhere. */
    Path defaultDir = DEBIAN_FASHION_MNIST;

    /**
     * The directory to read, extracting the bundled sample when needed and printing a note to {@code err} then.
     */
    Path resolve(PrintWriter err) {
        if (data != null) {
            return data;
        }
        if (Files.isDirectory(defaultDir)) {
            return defaultDir;
        }
        err.println("cortado: note: " + defaultDir + " not found, using " + SAMPLE_DESCRIPTION
                + "; for the full set: apt-get install dataset-fashion-mnist");
        return extractSample();
    }

    /** A human-readable name of what {@link #resolve} returned. */
    String describe(Path resolved) {
        return data == null && !resolved.equals(defaultDir) ? SAMPLE_DESCRIPTION : resolved.toString();
    }

    /**
     * Loads one split.
     *
     * @throws CliException with {@link ExitCode#DATA} naming the directory or file and what is wrong, or that
     *     the split does not fit the Java heap and how to give it a larger one
     */
    static Dataset load(Path dir, Split split) {
        try {
            return MnistDataset.load(dir, split);
        } catch (DatasetException e) {
            throw new CliException(ExitCode.DATA, e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new CliException(ExitCode.DATA, "the " + split.name().toLowerCase(Locale.ROOT) + " split of " + dir
                    + " does not fit the Java heap ("
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB at most): give the JVM a larger one, e.g. with"
                    + " CORTADO_JAVA_OPTS=-Xmx8g for ./cortado, or java -Xmx8g -jar cortado.jar", e);
        }
    }

    private static Path extractSample() {
        try {
            Path dir = Files.createTempDirectory("cortado-sample-");
            dir.toFile().deleteOnExit();
            for (Split split : Split.values()) {
                for (String name : List.of(MnistDataset.imagesFileName(split), MnistDataset.labelsFileName(split))) {
                    String file = name + MnistDataset.GZIP_SUFFIX;
                    try (InputStream in = DataOption.class.getResourceAsStream(SAMPLE_RESOURCES + file)) {
                        if (in == null) {
                            throw new IllegalStateException("the bundled sample file " + file
                                    + " is missing from the jar");
                        }
                        Path target = dir.resolve(file);
                        Files.copy(in, target);
                        target.toFile().deleteOnExit();
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled sample: " + e.getMessage(), e);
        }
    }
}
