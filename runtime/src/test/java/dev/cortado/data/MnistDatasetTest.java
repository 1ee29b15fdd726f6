package dev.cortado.data;

import static dev.cortado.data.IdxFiles.images;
import static dev.cortado.data.IdxFiles.labels;
import static dev.cortado.data.IdxFiles.maybeGzip;
import static dev.cortado.data.IdxFiles.randomBytes;
import static dev.cortado.data.IdxFiles.randomLabels;
import static dev.cortado.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MnistDatasetTest {
    private final Random random = new Random(0x3A15);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} gzipped={1}")
    @CsvSource({"TRAIN, false", "TRAIN, true", "TEST, false", "TEST, true"})
    void loadsASplitScaledToUnitRange(Split split, boolean gzipped) throws Exception {
        int count = 13;
        byte[] pixels = randomBytes(random, count * 5 * 7);
        pixels[0] = 0;
        pixels[1] = (byte) 255;
        byte[] labelBytes = randomLabels(random, count, 10);
        String suffix = gzipped ? ".gz" : "";
        write(dir.resolve(MnistDataset.imagesFileName(split) + suffix),
                maybeGzip(images(pixels, count, 5, 7), gzipped));
        write(dir.resolve(MnistDataset.labelsFileName(split) + suffix), maybeGzip(labels(labelBytes), gzipped));

        MnistDataset bytes = MnistDataset.load(dir, split);
        assertEquals(count * 35 + count, bytes.heldBytes(), "a byte a pixel and a byte a label");
        ArrayDataset data = bytes.toArrays();
        assertEquals(4L * (count * 35 + count), data.heldBytes(), "a float a value");

        assertEquals(count, data.count());
        assertEquals(Shape.of(1, 5, 7), data.sampleShape());
        assertEquals(10, data.classes());
        assertEquals(count * 35, data.inputs().length);
        for (int i = 0; i < pixels.length; i++) {
            assertEquals((pixels[i] & 0xFF) / 255f, data.inputs()[i], "pixel " + i);
        }
        assertEquals(0f, data.inputs()[0]);
        assertEquals(1f, data.inputs()[1]);
        for (int i = 0; i < count; i++) {
            assertEquals(labelBytes[i], data.targetValues()[i], "label " + i);
        }
    }

    @Test
    void fileNamesFollowMnist() {
        assertEquals("train-images-idx3-ubyte", MnistDataset.imagesFileName(Split.TRAIN));
        assertEquals("train-labels-idx1-ubyte", MnistDataset.labelsFileName(Split.TRAIN));
        assertEquals("t10k-images-idx3-ubyte", MnistDataset.imagesFileName(Split.TEST));
        assertEquals("t10k-labels-idx1-ubyte", MnistDataset.labelsFileName(Split.TEST));
    }

    @Test
    void readsThePlainFileWhenBothFormsArePresent() throws Exception {
        byte[] plainPixels = randomBytes(random, 2 * 3 * 3);
        byte[] labelBytes = randomLabels(random, 2, 10);
        write(dir.resolve("t10k-images-idx3-ubyte"), images(plainPixels, 2, 3, 3));
        write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxFiles.gzip(images(randomBytes(random, 18), 2, 3, 3)));
        write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxFiles.gzip(labels(labelBytes)));

        ArrayDataset data = MnistDataset.load(dir, Split.TEST).toArrays();

        assertEquals((plainPixels[17] & 0xFF) / 255f, data.inputs()[17]);
    }

    @Test
    void missingDirectoryNamesItAndTheFilesExpected() {
        Path missing = dir.resolve("no-such-dir");
        String message = assertThrows(DatasetException.class, () -> MnistDataset.load(missing, Split.TRAIN))
                .getMessage();
        assertTrue(message.startsWith(missing + ": dataset directory not found"), message);
        assertTrue(message.contains("train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]"), message);
    }

    @Test
    void missingFilesNameTheDirectoryAndTheFilesExpected() {
        String none = assertThrows(DatasetException.class, () -> MnistDataset.load(dir, Split.TEST)).getMessage();
        assertTrue(none.startsWith(dir + ": missing t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]"),
                none);

        write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxFiles.gzip(images(randomBytes(random, 4), 1, 2, 2)));
        String labelsOnly = assertThrows(DatasetException.class, () -> MnistDataset.load(dir, Split.TEST))
                .getMessage();
        assertEquals(dir + ": missing t10k-labels-idx1-ubyte[.gz] (the TEST split needs t10k-images-idx3-ubyte[.gz]"
                + " and t10k-labels-idx1-ubyte[.gz])", labelsOnly);
    }

    @Test
    void countMismatchNamesBothFilesAndBothCounts() {
        Path imagesFile = write(dir.resolve("train-images-idx3-ubyte"), images(randomBytes(random, 7 * 4), 7, 2, 2));
        Path labelsFile = write(dir.resolve("train-labels-idx1-ubyte.gz"),
                IdxFiles.gzip(labels(randomLabels(random, 6, 10))));

        String message = assertThrows(DatasetException.class, () -> MnistDataset.load(dir, Split.TRAIN)).getMessage();

        assertEquals(imagesFile + " holds 7 images but " + labelsFile + " holds 6 labels", message);
    }

    @Test
    void labelOutOfRangeNamesFileIndexAndValue() {
        byte[] labelBytes = randomLabels(random, 9, 10);
        labelBytes[4] = 10;
        labelBytes[7] = (byte) 200;
        write(dir.resolve("train-images-idx3-ubyte"), images(randomBytes(random, 9), 9, 1, 1));
        Path labelsFile = write(dir.resolve("train-labels-idx1-ubyte"), labels(labelBytes));

        String message = assertThrows(DatasetException.class, () -> MnistDataset.load(dir, Split.TRAIN)).getMessage();

        assertEquals(labelsFile + ": label 10 at index 4 is outside the classes 0..9", message);
    }

    @Test
    void imagesAndLabelsSwappedIsABadMagic() throws Exception {
        Path imagesFile = write(dir.resolve("train-images-idx3-ubyte"), labels(randomLabels(random, 3, 10)));
        write(dir.resolve("train-labels-idx1-ubyte"), labels(randomLabels(random, 3, 10)));

        String message = assertThrows(DatasetException.class, () -> MnistDataset.load(dir, Split.TRAIN)).getMessage();

        assertTrue(message.startsWith(imagesFile + ": bad magic number 0x00000801, expected 0x00000803"), message);
        assertTrue(Files.exists(imagesFile));
    }

    @Test
    void firstSamplesOfALoadedSplit() throws Exception {
        byte[] pixels = randomBytes(random, 11 * 4 * 3);
        byte[] labelBytes = randomLabels(random, 11, 10);
        write(dir.resolve("train-images-idx3-ubyte"), images(pixels, 11, 4, 3));
        write(dir.resolve("train-labels-idx1-ubyte"), labels(labelBytes));
        MnistDataset loaded = MnistDataset.load(dir, Split.TRAIN);
        ArrayDataset all = loaded.toArrays();

        ArrayDataset first = loaded.first(5).toArrays();

        assertEquals(5, first.count());
        assertEquals(all.sampleShape(), first.sampleShape());
        assertEquals(all.targets(), first.targets());
        assertArrayEquals(Arrays.copyOf(all.inputs(), 5 * 12), first.inputs());
        assertArrayEquals(Arrays.copyOf(all.targetValues(), 5), first.targetValues());
    }
}
