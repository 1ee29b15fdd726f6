package dev.cortado.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Fashion-MNIST, where the Debian package dataset-fashion-mnist installed it. */
class FashionMnistTest {
    static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");
    private static final String ABSENT = "Fashion-MNIST is not installed in " + DIR
            + " (apt-get install dataset-fashion-mnist)";

    private static ArrayDataset train;
    private static ArrayDataset test;

    @BeforeAll
    static void load() throws DatasetException {
        if (!Files.isDirectory(DIR)) {
            System.out.println("FashionMnistTest skipped: " + ABSENT);
            return;
        }
        train = MnistDataset.load(DIR, Split.TRAIN).toArrays();
        test = MnistDataset.load(DIR, Split.TEST).toArrays();
    }

    /** Skips each test, rather than the class, so that reports count the skipped tests. */
    @BeforeEach
    void requireTheDataset() {
        Assumptions.assumeTrue(train != null, ABSENT);
    }

    @Test
    void splitsHaveTheirKnownSizesAndBalancedClasses() {
        check(train, 60_000);
        check(test, 10_000);
    }

    @Test
    void oneShuffledEpochOfTheTestSplit() {
        int served = 0;
        int lastCount = -1;
        try (BatchLoader loader = BatchLoader.open(test, 64, SampleOrder.shuffled(1, 0))) {
            while (loader.hasNext()) {
                lastCount = loader.next().count();
                served += lastCount;
            }
        }
        assertEquals(10_000, served);
        assertEquals(10_000 % 64, lastCount);
    }

    /** Also shows how large a bundled sample of a given size is. */
    @Test
    void sampleWrittenFromTheRealDataLoadsBack(@TempDir Path dir) throws Exception {
        ArrayDataset sample = test.first(1000);
        List<Path> files = SampleWriter.write(sample, dir, Split.TEST);
        long bytes = 0;
        for (Path file : files) {
            bytes += Files.size(file);
        }
        System.out.println("FashionMnistTest: 1000 test samples take " + bytes + " bytes gzipped");
        ArrayDataset back = MnistDataset.load(dir, Split.TEST).toArrays();
        assertArrayEquals(sample.inputs(), back.inputs());
        assertArrayEquals(sample.targetValues(), back.targetValues());
    }

    private static void check(ArrayDataset data, int count) {
        assertEquals(count, data.count());
        assertEquals(Shape.of(1, 28, 28), data.sampleShape());
        assertEquals(10, data.classes());
        int[] perClass = new int[10];
        for (float label : data.targetValues()) {
            perClass[(int) label]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(count / 10, perClass[c], "samples of class " + c);
        }
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        double sum = 0;
        for (float x : data.inputs()) {
            min = Math.min(min, x);
            max = Math.max(max, x);
            sum += x;
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        // Fashion-MNIST's mean pixel is about 0.286.
        double mean = sum / data.inputs().length;
        assertTrue(mean > 0.27 && mean < 0.30, "mean pixel " + mean);
    }
}
