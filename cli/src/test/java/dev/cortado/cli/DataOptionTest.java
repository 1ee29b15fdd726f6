package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.data.Dataset;
import dev.cortado.data.Split;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataOptionTest {
    @TempDir
    Path tmp;

    @Test
    void withoutTheDatasetInstalledTheBundledSampleIsUsedWithANoteOnTheFullSet() {
        DataOption option = new DataOption();
        option.defaultDir = tmp.resolve("not-installed");
        StringWriter err = new StringWriter();
        Path dir = option.resolve(new PrintWriter(err, true));
        assertEquals("cortado: note: " + option.defaultDir + " not found, using the bundled Fashion-MNIST sample "
                + "(1,000 training and 200 test images); for the full set: apt-get install dataset-fashion-mnist\n",
                err.toString());
        Dataset train = DataOption.load(dir, Split.TRAIN);
        Dataset test = DataOption.load(dir, Split.TEST);
        assertEquals(1000, train.count());
        assertEquals(200, test.count());
        assertEquals(DataOption.SAMPLE_DESCRIPTION, option.describe(dir));
    }

    @Test
    void cortadoDataNamesTheDirectoryToReadWithoutData() {
        assertEquals(Path.of("datasets", "fm"), DataOption.defaultDir(Map.of(DataOption.DATA_VARIABLE,
                Path.of("datasets", "fm").toString())));
        assertEquals(DataOption.DEBIAN_FASHION_MNIST, DataOption.defaultDir(Map.of()));
        assertEquals(DataOption.DEBIAN_FASHION_MNIST, DataOption.defaultDir(Map.of(DataOption.DATA_VARIABLE, " ")));
    }

    @Test
    void anExplicitDirectoryWithoutTheFilesIsADataError() {
        DataOption option = new DataOption();
        option.data = tmp;
        Path dir = option.resolve(new PrintWriter(new StringWriter()));
        CliException e = assertThrows(CliException.class, () -> DataOption.load(dir, Split.TEST));
        assertEquals(ExitCode.DATA, e.exitCode());
        assertTrue(e.getMessage().contains("missing t10k-images-idx3-ubyte[.gz]"), e.getMessage());
    }
}
