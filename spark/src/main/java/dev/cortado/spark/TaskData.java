package dev.cortado.spark;

import dev.cortado.data.DatasetException;
import dev.cortado.data.MnistDataset;
import dev.cortado.data.Split;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;

/**
 * The training and test splits of an MNIST-format dataset as a worker reads them: from a path every executor mounts,
 * or from a URI of a Hadoop file system, whose IDX files (plain or {@code .gz}) are first copied into a local
 * directory. Either way the runtime's own reader ({@link MnistDataset}) reads them, so a worker sees exactly the
 * samples a single process would.
 *
 * @param train the training split
 * @param test the test split
 */
record TaskData(MnistDataset train, MnistDataset test) {

    /** Reads both splits of {@code location}. */
    static TaskData load(String location, HadoopConf hadoop) throws DatasetException, IOException {
        URI uri = RunStorage.schemeUri(location);
        if (uri == null) {
            Path dir = Path.of(location);
            return new TaskData(MnistDataset.load(dir, Split.TRAIN), MnistDataset.load(dir, Split.TEST));
        }
        Path local = Files.createTempDirectory("cortado-spark-data-");
        try {
            copyIdxFiles(uri, hadoop, local);
            return new TaskData(MnistDataset.load(local, Split.TRAIN), MnistDataset.load(local, Split.TEST));
        } catch (DatasetException e) {
            throw new DatasetException(e.getMessage().replace(local.toString(), location), e);
        } finally {
            try (Stream<Path> files = Files.walk(local)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Copies whichever of the four files (plain, else gzipped) the directory holds. */
    private static void copyIdxFiles(URI dir, HadoopConf hadoop, Path local) throws IOException, DatasetException {
        FileSystem fs = FileSystem.get(dir, hadoop.get());
        org.apache.hadoop.fs.Path base = new org.apache.hadoop.fs.Path(dir);
        if (!fs.exists(base)) {
            throw new DatasetException(dir + ": dataset directory not found");
        }
        for (Split split : Split.values()) {
            for (String name : List.of(MnistDataset.imagesFileName(split), MnistDataset.labelsFileName(split))) {
                for (String candidate : List.of(name, name + MnistDataset.GZIP_SUFFIX)) {
                    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(base, candidate);
                    if (fs.exists(file)) {
                        try (InputStream in = fs.open(file)) {
                            Files.copy(in, local.resolve(candidate));
                        }
                        break;
                    }
                }
            }
        }
    }
}
