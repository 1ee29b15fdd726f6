package dev.cortado.data;

import static dev.cortado.data.IdxFiles.gzip;
import static dev.cortado.data.IdxFiles.idx;
import static dev.cortado.data.IdxFiles.images;
import static dev.cortado.data.IdxFiles.labels;
import static dev.cortado.data.IdxFiles.maybeGzip;
import static dev.cortado.data.IdxFiles.randomBytes;
import static dev.cortado.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    private final Random random = new Random(0x1D8);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzipped={0}")
    @ValueSource(booleans = {false, true})
    void readsImages(boolean gzipped) throws Exception {
        byte[] pixels = randomBytes(random, 7 * 5 * 3);
        Path file = write(dir.resolve("images"), maybeGzip(images(pixels, 7, 5, 3), gzipped));

        IdxArray read = IdxReader.readImages(file);

        assertArrayEquals(new int[] {7, 5, 3}, read.dims());
        assertArrayEquals(pixels, read.data());
        assertEquals(7, read.count());
        assertEquals(file, read.file());
    }

    @ParameterizedTest(name = "gzipped={0}")
    @ValueSource(booleans = {false, true})
    void readsLabels(boolean gzipped) throws Exception {
        byte[] values = randomBytes(random, 1);
        Path file = write(dir.resolve("labels"), maybeGzip(labels(values), gzipped));

        IdxArray read = IdxReader.readLabels(file);

        assertArrayEquals(new int[] {1}, read.dims());
        assertArrayEquals(values, read.data());
    }

    @Test
    void detectsGzipByItsMagicBytesNotByTheFileName() throws Exception {
        byte[] pixels = randomBytes(random, 3 * 2 * 11);
        Path gzippedWithoutSuffix = write(dir.resolve("images-idx3-ubyte"), gzip(images(pixels, 3, 2, 11)));
        Path plainWithSuffix = write(dir.resolve("images-idx3-ubyte.gz"), images(pixels, 3, 2, 11));

        assertArrayEquals(pixels, IdxReader.readImages(gzippedWithoutSuffix).data());
        assertArrayEquals(pixels, IdxReader.readImages(plainWithSuffix).data());
    }

    /** More data than the first guess of the gzip path's growing array (1 MiB). */
    @Test
    void readsGzippedDataLargerThanTheInitialBuffer() throws Exception {
        byte[] pixels = randomBytes(random, 1601 * 29 * 31);
        Path file = write(dir.resolve("big.gz"), gzip(images(pixels, 1601, 29, 31)));

        assertArrayEquals(pixels, IdxReader.readImages(file).data());
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("nothing-here");
        assertMessage(file, () -> IdxReader.readImages(file), "file not found");
    }

    @Test
    void directoryIsUnreadable() {
        assertMessage(dir, () -> IdxReader.readLabels(dir), "unreadable: it is a directory");
    }

    @Test
    void corruptGzipDataIsUnreadable() {
        byte[] gz = gzip(images(randomBytes(random, 4 * 9 * 9), 4, 9, 9));
        for (int i = 12; i < gz.length - 8; i += 3) {
            gz[i] ^= (byte) 0x5A;
        }
        Path file = write(dir.resolve("corrupt.gz"), gz);
        assertMessage(file, () -> IdxReader.readImages(file), "unreadable: corrupt gzip data");
    }

    @Test
    void badMagicShowsFoundAndExpectedInHex() {
        Path imagesFile = write(dir.resolve("images"), images(randomBytes(random, 2 * 3 * 3), 2, 3, 3));
        assertMessage(imagesFile, () -> IdxReader.readLabels(imagesFile),
                "bad magic number 0x00000803, expected 0x00000801 (IDX labels");

        Path junk = write(dir.resolve("junk"), idx(0xCAFEBABE, new int[] {1, 1, 1}, new byte[] {7}));
        assertMessage(junk, () -> IdxReader.readImages(junk),
                "bad magic number 0xCAFEBABE, expected 0x00000803 (IDX images");
    }

    @ParameterizedTest(name = "gzipped={0}")
    @ValueSource(booleans = {false, true})
    void truncatedData(boolean gzipped) {
        byte[] whole = images(randomBytes(random, 5 * 3 * 7), 5, 3, 7);
        Path file = write(dir.resolve("short"), maybeGzip(Arrays.copyOf(whole, whole.length - 5), gzipped));
        assertMessage(file, () -> IdxReader.readImages(file), "truncated: expected 105 bytes of data, found 100");
    }

    @Test
    void truncatedGzipStream() {
        byte[] gz = gzip(images(randomBytes(random, 50 * 17 * 13), 50, 17, 13));
        Path file = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().startsWith(file + ": truncated: expected 11050 bytes of data, found "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(the gzip stream ends early)"), e.getMessage());
    }

    @ParameterizedTest(name = "cut after {0} bytes")
    @ValueSource(ints = {2, 12})
    void gzipStreamCutBeforeTheData(int kept) {
        byte[] gz = gzip(labels(randomBytes(random, 40)));
        Path file = write(dir.resolve("cut-early.gz"), Arrays.copyOf(gz, kept));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readLabels(file));
        assertTrue(e.getMessage().startsWith(file + ": truncated: the gzip stream ends early"), e.getMessage());
        assertFalse(e.getMessage().contains("null"), e.getMessage());
    }

    @ParameterizedTest(name = "gzipped={0}")
    @ValueSource(booleans = {false, true})
    void trailingDataIsAnError(boolean gzipped) {
        byte[] whole = labels(randomBytes(random, 11));
        Path file = write(dir.resolve("long"), maybeGzip(Arrays.copyOf(whole, whole.length + 3), gzipped));
        assertMessage(file, () -> IdxReader.readLabels(file), "too long: expected 11 bytes of data, found 14");
    }

    @ParameterizedTest(name = "gzipped={0}")
    @ValueSource(booleans = {false, true})
    void truncatedHeader(boolean gzipped) {
        byte[] whole = images(randomBytes(random, 2 * 2 * 2), 2, 2, 2);
        Path cutInDims = write(dir.resolve("dims"), maybeGzip(Arrays.copyOf(whole, 10), gzipped));
        assertMessage(cutInDims, () -> IdxReader.readImages(cutInDims),
                "truncated header: expected 16 bytes (magic number and 3 dimensions), found 10");

        Path cutInMagic = write(dir.resolve("magic"), maybeGzip(Arrays.copyOf(whole, 3), gzipped));
        assertMessage(cutInMagic, () -> IdxReader.readImages(cutInMagic),
                "truncated header: expected 16 bytes (magic number and 3 dimensions), found 3");

        Path empty = write(dir.resolve("empty"), maybeGzip(new byte[0], gzipped));
        assertMessage(empty, () -> IdxReader.readLabels(empty),
                "truncated header: expected 8 bytes (magic number and 1 dimension), found 0");
    }

    @Test
    void zeroDimensionIsImplausible() {
        Path file = write(dir.resolve("zero"), idx(IdxReader.IMAGES_MAGIC, new int[] {3, 0, 28}, new byte[0]));
        assertMessage(file, () -> IdxReader.readImages(file), "implausible dimensions [3, 0, 28]: dimension 1 is 0");
    }

    @Test
    void dimensionsBeyondAnArrayAreImplausible() {
        Path huge = write(dir.resolve("huge"), idx(IdxReader.IMAGES_MAGIC, new int[] {100_000, 100_000, 1000},
                new byte[16]));
        assertMessage(huge, () -> IdxReader.readImages(huge),
                "implausible dimensions [100000, 100000, 1000]: they describe more than 2147483639 bytes");

        Path negative = write(dir.resolve("negative.gz"), gzip(idx(IdxReader.LABELS_MAGIC, new int[] {-1},
                new byte[16])));
        assertMessage(negative, () -> IdxReader.readLabels(negative),
                "implausible dimensions [4294967295]: they describe more than 2147483639 bytes");
    }

    @Test
    void fileSizeIsCheckedBeforeTheDataIsRead() throws Exception {
        // A plain file whose header claims 1.9 GB must fail on its size, not by allocating the claim.
        Path file = write(dir.resolve("claims-much"), idx(IdxReader.IMAGES_MAGIC, new int[] {2_000_000, 31, 31},
                randomBytes(random, 64)));
        assertMessage(file, () -> IdxReader.readImages(file), "truncated: expected 1922000000 bytes of data, found 64");
        assertEquals(16 + 64, Files.size(file));
    }

    private static void assertMessage(Path file, Executable read, String what) {
        DatasetException e = assertThrows(DatasetException.class, read);
        assertTrue(e.getMessage().startsWith(file + ": " + what), () -> "message: " + e.getMessage());
    }
}
