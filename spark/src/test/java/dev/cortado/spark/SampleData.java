package dev.cortado.spark;

import dev.cortado.data.MnistDataset;
import dev.cortado.data.Split;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The Fashion-MNIST sample bundled in cortado.jar (1,000 training, 200 test images), as a directory of IDX files. */
final class SampleData {
    private SampleData() {
    }

    /** Copies the sample's four gzipped IDX files into {@code dir} and returns it. */
    static Path extract(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Split split : Split.values()) {
                for (String name : List.of(MnistDataset.imagesFileName(split), MnistDataset.labelsFileName(split))) {
                    String file = name + MnistDataset.GZIP_SUFFIX;
                    try (InputStream in = SampleData.class.getResourceAsStream("/dev/cortado/cli/sample/" + file)) {
                        if (in == null) {
                            throw new IllegalStateException("the bundled sample file " + file + " is missing");
                        }
                        Files.copy(in, dir.resolve(file));
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
