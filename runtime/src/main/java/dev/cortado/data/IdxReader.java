package dev.cortado.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files of unsigned bytes, the format of MNIST and Fashion-MNIST: a big-endian magic number
 * {@code 0x000008RR} (type 0x08 = unsigned byte, RR = number of dimensions), RR big-endian 32-bit dimensions,
 * then the data in row-major order. A file is read as gzip when it starts with the gzip magic bytes
 * {@code 1f 8b}, whatever its name.
 *
 * <p>A file must hold exactly the data its dimensions promise: anything missing or left over is an error, and a
 * gzipped file is read to its end so that its checksum is verified.
 */
public final class IdxReader {
    /** Magic number of a label file: unsigned bytes, one dimension (count). */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Magic number of an image file: unsigned bytes, three dimensions (count, rows, columns). */
    public static final int IMAGES_MAGIC = 0x00000803;

    private static final int BUFFER_BYTES = 1 << 16;
    /** Gzipped files do not say how much data they hold, so the array grows from here up to the header's claim. */
    private static final int INITIAL_GZIP_CAPACITY = 1 << 20;
    /** The largest array most JVMs allocate. */
    private static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private IdxReader() {
    }

    /** Reads a label file ({@link #LABELS_MAGIC}), plain or gzipped. */
    public static IdxArray readLabels(Path file) throws DatasetException {
        return read(file, LABELS_MAGIC, "IDX labels: unsigned bytes, 1 dimension");
    }

    /** Reads an image file ({@link #IMAGES_MAGIC}), plain or gzipped. */
    public static IdxArray readImages(Path file) throws DatasetException {
        return read(file, IMAGES_MAGIC, "IDX images: unsigned bytes, 3 dimensions");
    }

    private static IdxArray read(Path file, int expectedMagic, String meaning) throws DatasetException {
        if (Files.isDirectory(file)) {
            throw problem(file, "unreadable: it is a directory, not an IDX file");
        }
        if (!Files.exists(file)) {
            throw problem(file, "file not found");
        }
        try (InputStream raw = Files.newInputStream(file)) {
            BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER_BYTES);
            if (startsWithGzipMagic(buffered)) {
                return new Parser(file, new GZIPInputStream(buffered, BUFFER_BYTES), -1).parse(expectedMagic, meaning);
            }
            return new Parser(file, buffered, Files.size(file)).parse(expectedMagic, meaning);
        } catch (NoSuchFileException e) {
            throw problem(file, "file not found", e);
        } catch (AccessDeniedException e) {
            throw problem(file, "unreadable: permission denied", e);
        } catch (EOFException e) {
            String detail = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
            throw problem(file, "truncated: the gzip stream ends early" + detail, e);
        } catch (ZipException e) {
            throw problem(file, "unreadable: corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw problem(file, "unreadable: " + e, e);
        }
    }

    private static boolean startsWithGzipMagic(BufferedInputStream in) throws IOException {
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return gzip;
    }

    private static DatasetException problem(Path file, String what) {
        return new DatasetException(file + ": " + what);
    }

    private static DatasetException problem(Path file, String what, Throwable cause) {
        return new DatasetException(file + ": " + what, cause);
    }

    /** One pass over one file; {@code plainSize} is the file's size when it is not compressed, else -1. */
    private static final class Parser {
        private final Path file;
        private final InputStream in;
        private final long plainSize;

        Parser(Path file, InputStream in, long plainSize) {
            this.file = file;
            this.in = in;
            this.plainSize = plainSize;
        }

        IdxArray parse(int expectedMagic, String meaning) throws IOException, DatasetException {
            int rank = expectedMagic & 0xFF;
            int headerBytes = 4 + 4 * rank;
            byte[] header = new byte[headerBytes];
            int found = in.readNBytes(header, 0, headerBytes);
            if (found < 4) {
                throw truncatedHeader(rank, found);
            }
            int magic = bigEndianInt(header, 0);
            if (magic != expectedMagic) {
                throw problem(file, String.format("bad magic number 0x%08X, expected 0x%08X (%s)", magic,
                        expectedMagic, meaning));
            }
            if (found < headerBytes) {
                throw truncatedHeader(rank, found);
            }
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = bigEndianInt(header, 4 + 4 * i);
            }
            int dataBytes = checkDimensions(dims);
            return new IdxArray(file, dims, readData(dataBytes, headerBytes));
        }

        /** The number of data bytes the dimensions promise, if they are plausible. */
        private int checkDimensions(int[] dims) throws DatasetException {
            String shown = Arrays.toString(Arrays.stream(dims).mapToLong(Integer::toUnsignedLong).toArray());
            long product = 1;
            for (int i = 0; i < dims.length; i++) {
                long d = Integer.toUnsignedLong(dims[i]);
                if (d == 0) {
                    throw problem(file, "implausible dimensions " + shown + ": dimension " + i + " is 0");
                }
                product *= d;
                if (product > MAX_ARRAY_BYTES) {
                    throw problem(file, "implausible dimensions " + shown + ": they describe more than "
                            + MAX_ARRAY_BYTES + " bytes of data, the most one array holds");
                }
            }
            return (int) product;
        }

        private byte[] readData(int expected, int headerBytes) throws IOException, DatasetException {
            if (plainSize >= 0 && plainSize - headerBytes != expected) {
                throw wrongLength(expected, plainSize - headerBytes, "");
            }
            byte[] data = new byte[plainSize >= 0 ? expected : Math.min(expected, INITIAL_GZIP_CAPACITY)];
            int found = 0;
            try {
                while (found < expected) {
                    if (found == data.length) {
                        data = Arrays.copyOf(data, (int) Math.min(expected, 2L * data.length));
                    }
                    int n = in.read(data, found, data.length - found);
                    if (n < 0) {
                        throw wrongLength(expected, found, "");
                    }
                    found += n;
                }
            } catch (EOFException e) {
                throw wrongLength(expected, found, " (the gzip stream ends early)");
            }
            // Reading on to the end also makes the gzip stream verify its checksum.
            long trailing = in.transferTo(OutputStream.nullOutputStream());
            if (trailing > 0) {
                throw wrongLength(expected, expected + trailing, "");
            }
            return data;
        }

        private DatasetException wrongLength(long expected, long found, String why) {
            String kind = found < expected ? "truncated" : "too long";
            return problem(file, kind + ": expected " + expected + " bytes of data, found " + found + why);
        }

        private DatasetException truncatedHeader(int rank, int found) {
            return problem(file, "truncated header: expected " + (4 + 4 * rank) + " bytes (magic number and " + rank
                    + " dimension" + (rank == 1 ? "" : "s") + "), found " + found);
        }

        private static int bigEndianInt(byte[] b, int at) {
            return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
        }
    }
}
