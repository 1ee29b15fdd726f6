package dev.cortado.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cortado.data.Dataset;
import dev.cortado.data.DatasetException;
import dev.cortado.data.MnistDataset;
import dev.cortado.data.Split;
import java.nio.file.Files;
import java.nio.file.Path;

/** The full Fashion-MNIST set from Debian's dataset-fashion-mnist package, which .ci/run installs. */
final class FashionMnistData {
    private FashionMnistData() {
    }

    static Path directory() {
        Path dir = Path.of(System.getProperty("fashion.mnist.dir", "/usr/share/datasets/fashion-mnist"));
        if (!Files.isDirectory(dir)) {
            System.out.println("SKIPPED: Fashion-MNIST not found at " + dir
                    + " (apt-get install dataset-fashion-mnist)");
        }
        assumeTrue(Files.isDirectory(dir), () -> "Fashion-MNIST not found at " + dir
                + " (apt-get install dataset-fashion-mnist)");
        return dir;
    }

    static Dataset load(Split split) throws DatasetException {
        return MnistDataset.load(directory(), split);
    }
}
