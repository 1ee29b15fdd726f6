package dev.cortado.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Writes CIFAR-10 records and image files for the tests, independently of the code that reads them. */
final class DataFiles {
    private DataFiles() {
    }

    /** A CIFAR-10 record: the label, then 3072 pixel bytes drawn from {@code seed}. */
    static byte[] cifarRecord(int label, long seed) {
        byte[] record = new byte[3073];
        record[0] = (byte) label;
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 1; i < record.length; i++) {
            record[i] = (byte) random.nextInt(256);
        }
        return record;
    }

    /** Writes {@code labels.length} records, record {@code r} drawn from seed {@code firstSeed + r}. */
    static Path cifarFile(Path file, int[] labels, long firstSeed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int r = 0; r < labels.length; r++) {
            out.writeBytes(cifarRecord(labels[r], firstSeed + r));
        }
        return write(file, out.toByteArray());
    }

    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An RGB image of random pixels. */
    static BufferedImage rgbImage(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    /** Writes an image with ImageIO in {@code format} ("png", "jpg", "bmp"). */
    static Path image(Path file, BufferedImage image, String format) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
