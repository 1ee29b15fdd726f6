package dev.cortado.cli;

import dev.cortado.data.Augmentation;
import dev.cortado.data.CsvDataset;
import dev.cortado.data.DataFormat;
import dev.cortado.data.DataInfo;
import dev.cortado.data.Dataset;
import dev.cortado.data.DatasetException;
import dev.cortado.data.ImageFolderDataset;
import dev.cortado.data.MnistDataset;
import dev.cortado.data.Normalization;
import dev.cortado.data.Split;
import dev.cortado.data.Targets;
import dev.cortado.tensor.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --data} and how to read it: a directory (or a {@code .csv} file) in any {@link DataFormat}, recognised
 * by its files. Without it, {@code $CORTADO_DATA} or the Debian {@code dataset-fashion-mnist} location, and where
 * that is absent, the small sample bundled in the jar (with a note on how to get the full set).
 */
final class DataOption {
    /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
    static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    static final String SAMPLE_RESOURCES = "sample/";
    static final String SAMPLE_DESCRIPTION = "the bundled Fashion-MNIST sample (1,000 training and 200 test images)";

    /** The environment variable that names the directory to read when --data is not given. */
    static final String DATA_VARIABLE = "CORTADO_DATA";

    @Option(names = "--data", paramLabel = "PATH", description = "The dataset: a directory of MNIST-format IDX files "
            + "(train-/t10k-images-idx3-ubyte, -labels-idx1-ubyte, plain or .gz), of CIFAR-10 binary files "
            + "(data_batch_1.bin ... test_batch.bin, batches.meta.txt), of images in a folder per class "
            + "(<class>/*.png|jpg, or train/<class>/... and test/<class>/...) or of CSV files (train.csv and "
            + "test.csv, or one .csv), or a .csv file. Default: $" + DATA_VARIABLE + ", else "
            + "/usr/share/datasets/fashion-mnist; where that is missing, a small bundled sample.")
    Path data;

    @Option(names = "--target", paramLabel = "COLUMN", description = "CSV: the column to predict (default: the "
            + "last). Class names or integers make a classification, other numbers a regression.")
    String target;

    @Option(names = "--regression", description = "CSV: read a target column of integers as values to regress, "
            + "not as classes.")
    boolean regression;

    @Option(names = "--test-fraction", paramLabel = "F", description = "An image folder "
            + "without train/ and test/ folders, or a single CSV file: the share of each class's images (of the "
            + "rows) held out for testing (default: ${DEFAULT-VALUE}).")
    double testFraction = 0.2;

    @Option(names = "--split-seed", paramLabel = "N", description = "The seed that chooses "
            + "that share (default: ${DEFAULT-VALUE}).")
    long splitSeed;

    @Option(names = "--loader-threads", paramLabel = "N", description = "Threads that read (decode, augment, "
            + "normalize) the samples of a batch ahead of the step (default: half the cores, 1 to 8).")
    Integer loaderThreads;

    /** Where to look when --data is not given. */
    Path defaultDir = defaultDir(System.getenv());

    /**
     * Both splits of a dataset, as a model reads them.
     *
     * @param source the path read, in words ({@link #describe(Path)})
     * @param format its format
     * @param train the training split, or null when only the test split was opened
     * @param test the test split
     * @param normalization how the inputs were normalized, or null
     * @param computed whether the normalization was computed from the training split
     * @param table for a table, its files and target column ({@code (train.csv and test.csv); target 'y'}), else
     *     null
     */
    record Splits(String source, DataFormat format, Dataset train, Dataset test, Normalization normalization,
                  boolean computed, String table) {

        /**
         * The header line: {@code PATH: CIFAR-10 binary, 50,000 training and 10,000 test images of [3, 32, 32] in
         * 10 classes}, with the counts given (those a run keeps after its limits).
         */
        String describe(int trainCount, int testCount) {
            String counts = (train == null ? "" : count(trainCount) + " training and ") + count(testCount) + " test "
                    + format.unit();
            Targets t = test.targets();
            String classes = t.isClassification() ? t.classes() + (t.classes() == 1 ? " class" : " classes")
                    : "values (regression)";
            if (table == null) {
                return source + ": " + format.label() + ", " + counts + " of " + test.sampleShape() + " in " + classes;
            }
            int features = test.sampleShape().dim(0);
            return source + ": " + format.label() + " " + table.replace("; target", ", " + counts + " of " + features
                    + (features == 1 ? " feature" : " features") + "; target") + ": " + classes;
        }

        /** How the inputs are prepared, or null when they are read as stored. */
        String preprocessing() {
            Dataset data = train == null ? test : train;
            String normalized = normalization == null ? null : "normalized with " + normalization.describe()
                    + (computed ? " (computed from the training split)" : "");
            String augmented = data.preprocessing().augmentation() == null ? null : "training images augmented with "
                    + data.preprocessing().augmentation().describe();
            if (normalized == null && augmented == null) {
                return null;
            }
            return normalized == null ? augmented : augmented == null ? normalized : normalized + "; " + augmented;
        }

    }

    static Path defaultDir(Map<String, String> environment) {
        String configured = environment.get(DATA_VARIABLE);
        return configured == null || configured.isBlank() ? DEBIAN_FASHION_MNIST : Path.of(configured);
    }

    /**
     * The directory to read, extracting the bundled sample when needed and printing a note to {@code err} then.
     */
    Path resolve(PrintWriter err) {
        if (data != null) {
            return data;
        }
        if (Files.isDirectory(defaultDir)) {
            return defaultDir;
        }
        err.println("cortado: note: " + defaultDir + " not found, using " + SAMPLE_DESCRIPTION
                + "; for the full set: apt-get install dataset-fashion-mnist");
        return extractSample();
    }

    /** Whether {@link #resolve} returned the bundled sample. */
    boolean isSample(Path resolved) {
        return data == null && !resolved.equals(defaultDir);
    }

    /** A human-readable name of what {@link #resolve} returned. */
    String describe(Path resolved) {
        return isSample(resolved) ? SAMPLE_DESCRIPTION : resolved.toString();
    }

    /** The threads that read each batch: --loader-threads, else half the cores, 1 to 8. */
    int loaderThreads() {
        if (loaderThreads != null) {
            if (loaderThreads < 1 || loaderThreads > 256) {
                throw new CliException(ExitCode.USAGE, "--loader-threads must be 1..256, got " + loaderThreads);
            }
            return loaderThreads;
        }
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors() / 2));
    }

    /** The format of the dataset at {@code path}, or a data error that says what each format needs. */
    static DataFormat format(Path path) {
        try {
            return DataFormat.detect(path);
        } catch (DatasetException e) {
            throw new CliException(ExitCode.DATA, e.getMessage(), e);
        }
    }

    /**
     * Opens both splits for training a model of input {@code input}: the training split limited to its first
     * {@code trainLimit} samples (0: all), augmented and normalized as {@code prepare} asks.
     *
     * @throws CliException {@link ExitCode#DATA} naming the file and record that is bad,
     *     {@link ExitCode#USAGE} for options that do not fit the data
     */
    Splits forTraining(Path path, Shape input, int trainLimit, InputOptions prepare) {
        DataFormat format = format(path);
        if (prepare.augment && !format.isImages()) {
            throw new CliException(ExitCode.USAGE, "--augment crops and flips images; " + describe(path)
                    + " holds a " + format.label() + " table");
        }
        DataFormat.Settings settings = settings(input);
        int threads = loaderThreads();
        Dataset trainSplit = open(format, path, Split.TRAIN, settings);
        Dataset testSplit = open(format, path, Split.TEST, settings.withKnown(trainSplit.targets()));
        Dataset train = trainSplit.limit(trainLimit).readInParallel(threads);
        Dataset test = testSplit.readInParallel(threads);
        Normalization normalization = prepare.normalization(format, train);
        if (prepare.augment) {
            train = train.augmented(Augmentation.standard());
        }
        if (normalization != null) {
            train = train.normalized(normalization);
            test = test.normalized(normalization);
        }
        return new Splits(describe(path), format, train, test, normalization, prepare.computes(format),
                table(trainSplit, testSplit));
    }

    /**
     * Opens the test split as the model of a checkpoint reads it: images made its input's shape, labels by the
     * class names it was trained with, inputs normalized as it was.
     *
     * @throws CliException {@link ExitCode#DATA} naming the file and record that is bad
     */
    Splits forEvaluation(Path path, Shape input, DataInfo trainedOn) {
        DataFormat format = format(path);
        DataFormat.Settings settings = settings(input);
        if (!trainedOn.classNames().isEmpty()) {
            settings = settings.withKnown(Targets.classes(trainedOn.classNames()));
        }
        Dataset testSplit = open(format, path, Split.TEST, settings);
        Dataset test = testSplit.readInParallel(loaderThreads());
        Normalization normalization = trainedOn.preprocessing().normalization();
        if (normalization != null) {
            try {
                test = test.normalized(normalization);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.DATA, describe(path) + ": " + e.getMessage() + " (the checkpoint's "
                        + "normalization)", e);
            }
        }
        return new Splits(describe(path), format, null, test, normalization, false, table(null, testSplit));
    }

    /** {@code (train.csv and test.csv); target 'y'} for tables, null for images. */
    private static String table(Dataset train, Dataset test) {
        if (!(test instanceof CsvDataset t)) {
            return null;
        }
        String files = train instanceof CsvDataset r && !r.file().equals(t.file())
                ? r.file().getFileName() + " and " + t.file().getFileName() : t.file().getFileName().toString();
        return "(" + files + "); target '" + t.target() + "'";
    }

    /**
     * The training split as stored (not limited, augmented or normalized), an image folder's decoded images cached
     * up to {@code cacheBytes}: what {@code bench --data} measures.
     */
    Dataset trainingSplit(Path path, DataFormat format, Shape input, long cacheBytes) {
        return open(format, path, Split.TRAIN, settings(input, cacheBytes));
    }

    /** The settings of the options, a quarter of the Java heap caching an image folder's decoded images. */
    private DataFormat.Settings settings(Shape input) {
        return settings(input, Runtime.getRuntime().maxMemory() / 4);
    }

    private DataFormat.Settings settings(Shape input, long cacheBytes) {
        try {
            return new DataFormat.Settings(input, null, new ImageFolderDataset.Settings(testFraction, splitSeed,
                    cacheBytes), new CsvDataset.Settings(target, regression, testFraction, splitSeed));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "--test-fraction: " + e.getMessage(), e);
        }
    }

    /**
     * Opens one split.
     *
     * @throws CliException with {@link ExitCode#DATA} naming the directory or file and what is wrong
     */
    private static Dataset open(DataFormat format, Path path, Split split, DataFormat.Settings settings) {
        try {
            return format.open(path, split, settings);
        } catch (DatasetException e) {
            throw new CliException(ExitCode.DATA, e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // An image folder read at the shape of a model whose input is not an image.
            throw new CliException(ExitCode.MODEL, path + " holds " + format.label() + " data: " + e.getMessage()
                    + "; use a model whose input is (1 or 3, height, width)", e);
        }
    }

    private static String count(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static Path extractSample() {
        try {
            Path dir = Files.createTempDirectory("cortado-sample-");
            dir.toFile().deleteOnExit();
            for (Split split : Split.values()) {
                for (String name : List.of(MnistDataset.imagesFileName(split), MnistDataset.labelsFileName(split))) {
                    String file = name + MnistDataset.GZIP_SUFFIX;
                    try (InputStream in = DataOption.class.getResourceAsStream(SAMPLE_RESOURCES + file)) {
                        if (in == null) {
                            throw new IllegalStateException("the bundled sample file " + file
                                    + " is missing from the jar");
                        }
                        Path target = dir.resolve(file);
                        Files.copy(in, target);
                        target.toFile().deleteOnExit();
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled sample: " + e.getMessage(), e);
        }
    }
}
