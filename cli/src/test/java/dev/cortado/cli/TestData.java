package dev.cortado.cli;

import dev.cortado.data.ArrayDataset;
import dev.cortado.data.MnistDataset;
import dev.cortado.data.SampleWriter;
import dev.cortado.data.Split;
import dev.cortado.tensor.Shape;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** MNIST-format data sets made for a test: other image sizes, and a small file that unpacks to a huge one. */
final class TestData {
    private TestData() {
    }

    /** Writes a split of {@code count} random {@code side x side} images of 10 classes into {@code dir}. */
    static Path images(Path dir, Split split, int count, int side) throws IOException {
        SplittableRandom random = new SplittableRandom(count * 31L + side);
        float[] pixels = new float[count * side * side];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(256) / 255f;
        }
        float[] labels = new float[count];
        for (int i = 0; i < count; i++) {
            labels[i] = random.nextInt(MnistDataset.CLASSES);
        }
        Files.createDirectories(dir);
        SampleWriter.write(ArrayDataset.classification(pixels, labels, Shape.of(1, side, side),
                MnistDataset.CLASSES), dir, split);
        return dir;
    }

    /**
     * Writes a training split whose gzipped files hold {@code count} black 28x28 images (a few hundred KB that
     * unpack to {@code count * 784} bytes) and a small test split.
     */
    static Path gzipBomb(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        try (DataOutputStream images = gzip(dir.resolve(MnistDataset.imagesFileName(Split.TRAIN)
                + MnistDataset.GZIP_SUFFIX))) {
            images.writeInt(0x00000803);
            images.writeInt(count);
            images.writeInt(28);
            images.writeInt(28);
            byte[] black = new byte[28 * 28 * 64];
            for (int i = 0; i < count; i += 64) {
                images.write(black, 0, 28 * 28 * Math.min(64, count - i));
            }
        }
        try (DataOutputStream labels = gzip(dir.resolve(MnistDataset.labelsFileName(Split.TRAIN)
                + MnistDataset.GZIP_SUFFIX))) {
            labels.writeInt(0x00000801);
            labels.writeInt(count);
            labels.write(new byte[count]);
        }
        return images(dir, Split.TEST, 20, 28);
    }

    private static DataOutputStream gzip(Path file) throws IOException {
        OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16);
        return new DataOutputStream(out);
    }
}
