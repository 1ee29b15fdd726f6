package dev.cortado.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFormatTest {
    @TempDir
    Path dir;

    @Test
    void recognisesEachFormatByItsFiles() throws Exception {
        Path idx = Files.createDirectories(dir.resolve("idx"));
        Files.write(idx.resolve("t10k-labels-idx1-ubyte.gz"), new byte[0]);
        assertEquals(DataFormat.IDX, DataFormat.detect(idx));

        Path cifar = dir.resolve("cifar");
        DataFiles.cifarFile(cifar.resolve("cifar-10-batches-bin/data_batch_1.bin"), new int[] {1}, 0);
        assertEquals(DataFormat.CIFAR10, DataFormat.detect(cifar));

        Path images = dir.resolve("images");
        DataFiles.image(images.resolve("cat/1.png"), DataFiles.rgbImage(3, 3, 1), "png");
        Files.writeString(images.resolve("labels.csv"), "a,b\n1,2\n");
        assertEquals(DataFormat.IMAGE_FOLDER, DataFormat.detect(images), "an image folder wins over a lone CSV");

        Path table = Files.createDirectories(dir.resolve("table"));
        Files.writeString(table.resolve("iris.csv"), "a,b\n1,x\n");
        assertEquals(DataFormat.CSV, DataFormat.detect(table));
        assertEquals(DataFormat.CSV, DataFormat.detect(table.resolve("iris.csv")));
        Files.writeString(images.resolve("train.csv"), "a,b\n1,x\n");
        assertEquals(DataFormat.CSV, DataFormat.detect(images), "train.csv names a table");
    }

    @Test
    void aPathWithoutADatasetSaysWhatEachFormatNeeds() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        DatasetException none = assertThrows(DatasetException.class, () -> DataFormat.detect(empty));
        assertEquals(empty + ": no dataset found in it (expected " + DataFormat.EXPECTED + ")", none.getMessage());
        DatasetException missing = assertThrows(DatasetException.class, () -> DataFormat.detect(dir.resolve("nope")));
        assertTrue(missing.getMessage().startsWith(dir.resolve("nope") + ": dataset directory not found"),
                missing.getMessage());
        Path text = Files.writeString(dir.resolve("notes.txt"), "x");
        assertTrue(assertThrows(DatasetException.class, () -> DataFormat.detect(text)).getMessage()
                .contains("not a dataset"));
    }
}
