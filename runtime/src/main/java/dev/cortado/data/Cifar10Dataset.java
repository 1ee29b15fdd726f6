package dev.cortado.data;

import dev.cortado.io.IoErrors;
import dev.cortado.tensor.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The CIFAR-10 binary format: {@code data_batch_1.bin} ... {@code data_batch_5.bin} (the training split, in the
 * order of their numbers) and {@code test_batch.bin}, each a run of records of {@value #RECORD_BYTES} bytes: the
 * label, then the 32x32 red, green and blue planes of the image, row by row; the class names are the lines of
 * {@code batches.meta.txt} (the usual ten when it is absent). The files are looked for in the directory given and
 * in its {@value #ARCHIVE_FOLDER} folder, where the archive unpacks them.
 *
 * <p>The images are held in memory as bytes (3 KiB each, 150 MiB for the training split) and served as samples of
 * shape (3, 32, 32) with values {@code k / 255f}, as {@link MnistDataset} serves its pixels.
 */
public final class Cifar10Dataset extends ByteImages {
    /** Bytes per record: a label and 3 x 32 x 32 pixels. */
    public static final int RECORD_BYTES = 1 + 3 * 32 * 32;
    /** The folder {@code cifar-10-binary.tar.gz} unpacks to. */
    public static final String ARCHIVE_FOLDER = "cifar-10-batches-bin";
    /** The test split's file. */
    public static final String TEST_FILE = "test_batch.bin";
    /** The class names, one a line. */
    public static final String META_FILE = "batches.meta.txt";
    /** The class names of CIFAR-10, used when {@value #META_FILE} is absent. */
    public static final List<String> CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");

    private static final Shape SAMPLE_SHAPE = Shape.of(3, 32, 32);
    private static final int IMAGE_BYTES = RECORD_BYTES - 1;
    private static final Pattern TRAIN_FILE = Pattern.compile("data_batch_(\\d{1,9})\\.bin");

    private Cifar10Dataset(byte[] pixels, byte[] labels, List<String> classNames) {
        super(pixels, labels, SAMPLE_SHAPE, Targets.classes(classNames));
    }

    /**
     * The folder that holds the files: {@code dir} itself, or its {@value #ARCHIVE_FOLDER} folder; null when
     * neither has a {@code data_batch_N.bin} or {@value #TEST_FILE}.
     */
    public static Path locate(Path dir) {
        for (Path candidate : List.of(dir, dir.resolve(ARCHIVE_FOLDER))) {
            if (Files.isRegularFile(candidate.resolve(TEST_FILE)) || !files(candidate, Split.TRAIN).isEmpty()) {
                return candidate;
            }
        }
        return null;
    }

    /** The files of a split in {@code dir} (see {@link #locate}), in order; empty when there are none. */
    public static List<Path> files(Path dir, Split split) {
        if (split == Split.TEST) {
            Path test = dir.resolve(TEST_FILE);
            return Files.isRegularFile(test) ? List.of(test) : List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> Files.isRegularFile(p) && TRAIN_FILE.matcher(name(p)).matches())
                    .sorted(Comparator.comparingLong(Cifar10Dataset::batchNumber)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The number of records in the split's files, from their sizes (nothing is read).
     *
     * @throws DatasetException when a file is not a whole number of records
     */
    public static int count(Path dir, Split split) throws DatasetException {
        long records = 0;
        for (Path file : files(dir, split)) {
            records += records(file, size(file));
        }
        return Math.toIntExact(records);
    }

    /**
     * The class names: the non-empty lines of {@value #META_FILE} in {@code dir}, or {@link #CLASS_NAMES} when it
     * is absent.
     *
     * @throws DatasetException when it cannot be read or names no class, or a name twice
     */
    public static List<String> classNames(Path dir) throws DatasetException {
        Path meta = dir.resolve(META_FILE);
        if (!Files.exists(meta)) {
            return CLASS_NAMES;
        }
        List<String> names = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new DatasetException(meta + ": cannot read the class names: " + IoErrors.reason(e), e);
        }
        if (names.isEmpty()) {
            throw new DatasetException(meta + ": no class names in it (one a line)");
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new DatasetException(meta + ": a class name is there twice: " + names);
        }
        return names;
    }

    /**
     * Reads one split of the dataset in {@code dir} (see {@link #locate}).
     *
     * @throws DatasetException naming the file and the record: a split without files, a truncated record, a
     *     label outside the classes
     */
    public static Cifar10Dataset load(Path dir, Split split) throws DatasetException {
        Path folder = locate(dir);
        if (folder == null) {
            throw new DatasetException(dir + ": no CIFAR-10 binary files (data_batch_1.bin ... data_batch_5.bin, "
                    + TEST_FILE + ") in it or in its " + ARCHIVE_FOLDER + " folder");
        }
        List<Path> files = files(folder, split);
        if (files.isEmpty()) {
            throw new DatasetException(folder + ": missing " + (split == Split.TEST ? TEST_FILE
                    : "data_batch_1.bin (and the other data_batch_N.bin)") + " for the "
                    + split.name().toLowerCase(Locale.ROOT) + " split");
        }
        List<String> names = classNames(folder);
        int count = count(folder, split);
        byte[] pixels = new byte[Math.multiplyExact(count, IMAGE_BYTES)];
        byte[] labels = new byte[count];
        int at = 0;
        for (Path file : files) {
            byte[] bytes = read(file);
            int records = (int) records(file, bytes.length);
            for (int r = 0; r < records; r++, at++) {
                int label = bytes[r * RECORD_BYTES] & 0xFF;
                if (label >= names.size()) {
                    throw new DatasetException(file + ": record " + r + " has label " + label + ", outside the "
                            + names.size() + " classes (0.." + (names.size() - 1) + ")");
                }
                labels[at] = (byte) label;
                System.arraycopy(bytes, r * RECORD_BYTES + 1, pixels, at * IMAGE_BYTES, IMAGE_BYTES);
            }
        }
        if (at != count) {
            throw new DatasetException(folder + ": the files changed while they were read");
        }
        return new Cifar10Dataset(pixels, labels, names);
    }

    @Override
    public String toString() {
        return "Cifar10Dataset[count=" + count() + ", " + targets() + "]";
    }

    private static long records(Path file, long size) throws DatasetException {
        long whole = size / RECORD_BYTES;
        long rest = size % RECORD_BYTES;
        if (rest != 0) {
            throw new DatasetException(file + ": record " + whole + " is truncated: it has " + rest + " of its "
                    + RECORD_BYTES + " bytes (the file has " + size + " bytes, not a whole number of " + RECORD_BYTES
                    + "-byte records)");
        }
        return whole;
    }

    private static long size(Path file) throws DatasetException {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new DatasetException(file + ": unreadable: " + IoErrors.reason(e), e);
        }
    }

    private static byte[] read(Path file) throws DatasetException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DatasetException(file + ": unreadable: " + IoErrors.reason(e), e);
        }
    }

    private static String name(Path p) {
        return p.getFileName().toString();
    }

    private static long batchNumber(Path p) {
        Matcher m = TRAIN_FILE.matcher(name(p));
        return m.matches() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
    }
}
