package dev.cortado.data;

import static dev.cortado.data.Samples.labels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10DatasetTest {
    @TempDir
    Path dir;

    @Test
    void readsTheBatchesInTheOrderOfTheirNumbersWithTheClassNamesOfTheMetaFile() throws Exception {
        DataFiles.cifarFile(dir.resolve("data_batch_2.bin"), new int[] {2, 0}, 20);
        DataFiles.cifarFile(dir.resolve("data_batch_10.bin"), new int[] {1}, 100);
        DataFiles.cifarFile(dir.resolve("data_batch_1.bin"), new int[] {1, 2, 0}, 10);
        DataFiles.cifarFile(dir.resolve("test_batch.bin"), new int[] {0, 2}, 50);
        Files.writeString(dir.resolve("batches.meta.txt"), "cat\ndog\nfrog\n\n");

        Cifar10Dataset train = Cifar10Dataset.load(dir, Split.TRAIN);
        Cifar10Dataset test = Cifar10Dataset.load(dir, Split.TEST);

        assertEquals(6, train.count());
        assertEquals(2, test.count());
        assertEquals(Shape.of(3, 32, 32), train.sampleShape());
        assertEquals(Targets.classes(List.of("cat", "dog", "frog")), train.targets());
        assertEquals(List.of(1f, 2f, 0f, 2f, 0f, 1f), labels(train));
        // Sample 3 is the first record of data_batch_2.bin: its bytes, k / 255f, channel after channel.
        byte[] record = DataFiles.cifarRecord(2, 20);
        float[] expected = new float[3072];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (record[i + 1] & 0xFF) / 255f;
        }
        float[] actual = new float[3072];
        train.copyInputs(3, actual, 0);
        assertArrayEquals(expected, actual);
        assertEquals(2, Cifar10Dataset.count(dir, Split.TEST));
    }

    @Test
    void withoutTheMetaFileTheClassesAreCifar10s() throws Exception {
        DataFiles.cifarFile(dir.resolve("cifar-10-batches-bin/test_batch.bin"), new int[] {9}, 1);
        assertEquals(dir.resolve("cifar-10-batches-bin"), Cifar10Dataset.locate(dir));
        Cifar10Dataset test = Cifar10Dataset.load(dir, Split.TEST);
        assertEquals(Cifar10Dataset.CLASS_NAMES, test.targets().classNames());
        assertEquals("truck", test.targets().className(9));
    }

    @Test
    void aTruncatedLastRecordIsAnErrorNamingTheFileAndTheRecord() {
        byte[] two = new byte[3073 * 2 + 1000];
        System.arraycopy(DataFiles.cifarRecord(1, 1), 0, two, 0, 3073);
        System.arraycopy(DataFiles.cifarRecord(2, 2), 0, two, 3073, 3073);
        Path file = DataFiles.write(dir.resolve("data_batch_1.bin"), two);

        String message = assertThrows(DatasetException.class, () -> Cifar10Dataset.load(dir, Split.TRAIN))
                .getMessage();

        assertEquals(file + ": record 2 is truncated: it has 1000 of its 3073 bytes (the file has 7146 bytes, not a "
                + "whole number of 3073-byte records)", message);
    }

    @Test
    void aLabelOutsideTheClassesIsAnErrorNamingTheRecord() throws Exception {
        Path file = DataFiles.cifarFile(dir.resolve("test_batch.bin"), new int[] {1, 0, 3}, 5);
        Files.writeString(dir.resolve("batches.meta.txt"), "a\nb\nc\n");
        String message = assertThrows(DatasetException.class, () -> Cifar10Dataset.load(dir, Split.TEST))
                .getMessage();
        assertEquals(file + ": record 2 has label 3, outside the 3 classes (0..2)", message);
    }

    @Test
    void aMissingSplitNamesTheFileItNeeds() {
        DataFiles.cifarFile(dir.resolve("data_batch_1.bin"), new int[] {1}, 5);
        String message = assertThrows(DatasetException.class, () -> Cifar10Dataset.load(dir, Split.TEST))
                .getMessage();
        assertEquals(dir + ": missing test_batch.bin for the test split", message);
        assertNull(Cifar10Dataset.locate(dir.resolve("nothing-here")));
    }
}
