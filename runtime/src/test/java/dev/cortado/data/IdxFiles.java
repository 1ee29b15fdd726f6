package dev.cortado.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Builds IDX files byte by byte for the tests, independently of the code under test. */
final class IdxFiles {
    private IdxFiles() {
    }

    /** The bytes of an IDX file: big-endian magic, big-endian dimensions, data. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] maybeGzip(byte[] plain, boolean gzipped) {
        return gzipped ? gzip(plain) : plain;
    }

    static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** {@code n} labels drawn from {@code 0..classes-1}. */
    static byte[] randomLabels(Random random, int n, int classes) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) random.nextInt(classes);
        }
        return b;
    }

    static byte[] images(byte[] pixels, int count, int rows, int cols) {
        return idx(IdxReader.IMAGES_MAGIC, new int[] {count, rows, cols}, pixels);
    }

    static byte[] labels(byte[] labels) {
        return idx(IdxReader.LABELS_MAGIC, new int[] {labels.length}, labels);
    }
}
