package dev.cortado.data;

import static dev.cortado.data.IdxFiles.images;
import static dev.cortado.data.IdxFiles.labels;
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
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleWriterTest {
    private final Random random = new Random(0x5A3);

    @TempDir
    Path dir;

    @Test
    void writtenSubsetLoadsBackExactly() throws Exception {
        ArrayDataset source = loadedDataset(Split.TRAIN, 29, 6, 5);
        ArrayDataset subset = source.first(17);
        Path target = dir.resolve("sample");

        List<Path> written = SampleWriter.write(subset, target, Split.TRAIN);

        assertEquals(List.of(target.resolve("train-images-idx3-ubyte.gz"),
                target.resolve("train-labels-idx1-ubyte.gz")), written);
        for (Path file : written) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(file), 2);
            assertArrayEquals(new byte[] {0x1f, (byte) 0x8b}, head, file + " is gzipped");
        }
        ArrayDataset back = MnistDataset.load(target, Split.TRAIN).toArrays();
        assertEquals(17, back.count());
        assertEquals(Shape.of(1, 6, 5), back.sampleShape());
        assertArrayEquals(subset.inputs(), back.inputs());
        assertArrayEquals(subset.targetValues(), back.targetValues());
    }

    @Test
    void sameDataGivesTheSameBytes() throws Exception {
        ArrayDataset data = loadedDataset(Split.TEST, 8, 3, 3);
        List<Path> first = SampleWriter.write(data, dir.resolve("a"), Split.TEST);
        List<Path> second = SampleWriter.write(data, dir.resolve("b"), Split.TEST);
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(Files.readAllBytes(first.get(i)), Files.readAllBytes(second.get(i)));
        }
    }

    @Test
    void rejectsInputsThatAreNotEightBitPixels() {
        ArrayDataset data = new ArrayDataset(new float[] {0f, 1f, 0.5f, 1 / 255f}, new float[] {0f}, 1, Shape.of(1, 2, 2), Targets.classes(10));
        var e = assertThrows(IllegalArgumentException.class, () -> SampleWriter.write(data, dir, Split.TRAIN));
        assertTrue(e.getMessage().startsWith("input 2 is 0.5, not a pixel value k/255"), e.getMessage());
    }

    @Test
    void rejectsSamplesThatAreNotGreyImages() {
        ArrayDataset data = new ArrayDataset(new float[6], new float[] {0f}, 1, Shape.of(3, 2, 1), Targets.classes(10));
        var e = assertThrows(IllegalArgumentException.class, () -> SampleWriter.write(data, dir, Split.TRAIN));
        assertEquals("IDX images need samples of shape (1, rows, columns), got [3, 2, 1]", e.getMessage());
    }

    private ArrayDataset loadedDataset(Split split, int count, int rows, int cols) throws Exception {
        Path from = Files.createDirectories(dir.resolve("from-" + split));
        write(from.resolve(MnistDataset.imagesFileName(split)),
                images(randomBytes(random, count * rows * cols), count, rows, cols));
        write(from.resolve(MnistDataset.labelsFileName(split)), labels(randomLabels(random, count, 10)));
        return MnistDataset.load(from, split).toArrays();
    }
}
