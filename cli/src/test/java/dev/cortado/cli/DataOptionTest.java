package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.data.DataFormat;
import dev.cortado.data.DataInfo;
import dev.cortado.data.MnistDataset;
import dev.cortado.data.Normalization;
import dev.cortado.data.Preprocessing;
import dev.cortado.tensor.Shape;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataOptionTest {
    private static final Shape GREY = Shape.of(1, 28, 28);

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
        DataOption.Splits splits = option.forTraining(dir, GREY, 0, new InputOptions());
        assertEquals(1000, splits.train().count());
        assertEquals(200, splits.test().count());
        assertEquals(DataOption.SAMPLE_DESCRIPTION, option.describe(dir));
        assertEquals(DataOption.SAMPLE_DESCRIPTION + ": IDX (MNIST format), 1,000 training and 200 test images of "
                + "[1, 28, 28] in 10 classes", splits.describe(1000, 200));
        assertNull(splits.preprocessing(), "IDX pixels stay in [0, 1] unless --normalize asks");
        assertEquals(MnistDataset.CLASS_NAMES, splits.train().targets().classNames());
    }

    @Test
    void normalizeAutoComputesTheTrainingSplitsStatisticsAndEvaluationAppliesTheCheckpoints() {
        DataOption option = new DataOption();
        Path dir = option.resolve(new PrintWriter(new StringWriter()));
        InputOptions auto = new InputOptions();
        auto.normalize = "auto";
        auto.augment = true;
        DataOption.Splits splits = option.forTraining(dir, GREY, 100, auto);
        Normalization n = splits.normalization();
        assertEquals(new Preprocessing(n, dev.cortado.data.Augmentation.standard()), splits.train().preprocessing());
        assertTrue(splits.preprocessing().startsWith("normalized with mean ["), splits.preprocessing());
        assertTrue(splits.preprocessing().endsWith("(computed from the training split); training images augmented "
                + "with random crops with padding 4, horizontal flips"), splits.preprocessing());

        DataOption.Splits eval = option.forEvaluation(dir, GREY, new DataInfo(MnistDataset.CLASS_NAMES,
                new Preprocessing(n, null)));
        assertEquals(new Preprocessing(n, null), eval.test().preprocessing());

        InputOptions wrong = new InputOptions();
        wrong.normalize = "0.5,0.5,0.5,0.2,0.2,0.2";
        CliException e = assertThrows(CliException.class, () -> option.forTraining(dir, GREY, 0, wrong));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("--normalize: a normalization of 3 channels does not fit"),
                e.getMessage());
    }

    @Test
    void cortadoDataNamesTheDirectoryToReadWithoutData() {
        assertEquals(Path.of("datasets", "fm"), DataOption.defaultDir(Map.of(DataOption.DATA_VARIABLE,
                Path.of("datasets", "fm").toString())));
        assertEquals(DataOption.DEBIAN_FASHION_MNIST, DataOption.defaultDir(Map.of()));
        assertEquals(DataOption.DEBIAN_FASHION_MNIST, DataOption.defaultDir(Map.of(DataOption.DATA_VARIABLE, " ")));
    }

    @Test
    void aDirectoryWithoutADatasetIsADataErrorThatSaysWhatEachFormatNeeds() throws Exception {
        CliException e = assertThrows(CliException.class, () -> DataOption.format(tmp));
        assertEquals(ExitCode.DATA, e.exitCode());
        assertEquals(tmp + ": no dataset found in it (expected " + DataFormat.EXPECTED + ")", e.getMessage());
        Files.writeString(tmp.resolve("train.csv"), "a,y\n1,x\n2,y\n");
        Files.writeString(tmp.resolve("test.csv"), "a,y\n3,y\n");
        DataOption option = new DataOption();
        option.data = tmp;
        DataOption.Splits table = option.forTraining(tmp, GREY, 0, new InputOptions());
        assertEquals(tmp + ": CSV (train.csv and test.csv), 2 training and 1 test rows of 1 feature; target 'y': 2 "
                + "classes", table.describe(2, 1));
    }
}
