package dev.cortado.data;

import dev.cortado.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The dataset formats Cortado reads, and which one a path holds ({@link #detect}): the first that fits, in the
 * order MNIST-format IDX files, CIFAR-10 binary files, {@code train.csv}/{@code test.csv}, an image folder, and
 * a single CSV file.
 */
public enum DataFormat {
    /** {@link MnistDataset}: MNIST-format IDX files. */
    IDX("IDX (MNIST format)", "images"),
    /** {@link Cifar10Dataset}: CIFAR-10 binary batches. */
    CIFAR10("CIFAR-10 binary", "images"),
    /** {@link ImageFolderDataset}: a folder of images per class. */
    IMAGE_FOLDER("image folder", "images"),
    /** {@link CsvDataset}: a table of numbers with a target column. */
    CSV("CSV", "rows");

    /** What a path that holds no dataset should have held, for messages. */
    public static final String EXPECTED = "MNIST-format IDX files (train-images-idx3-ubyte[.gz], "
            + "train-labels-idx1-ubyte[.gz], t10k-...), CIFAR-10 binary files (data_batch_1.bin ... "
            + "data_batch_5.bin, test_batch.bin), an image folder (<class>/<image>.png|jpg, or train/<class>/... and "
            + "test/<class>/...) or CSV files (train.csv and test.csv, or one .csv file)";

    /**
     * What a format needs to open a split besides the path.
     *
     * @param imageShape the shape images are made (an image folder's; the model's input)
     * @param known the targets of the data a model was trained on, whose classes the split's labels must be (an
     *     image folder's and a table's class names), or null to take them from the training split
     * @param images how to split and cache an image folder
     * @param table how to read a table
     */
    public record Settings(Shape imageShape, Targets known, ImageFolderDataset.Settings images,
                           CsvDataset.Settings table) {
        /** The defaults of each format for images of {@code imageShape}. */
        public static Settings defaults(Shape imageShape) {
            return new Settings(imageShape, null, ImageFolderDataset.Settings.defaults(), CsvDataset.Settings.defaults());
        }

        /** These settings with the classes of a model's training data. */
        public Settings withKnown(Targets targets) {
            return new Settings(imageShape, targets, images, table);
        }
    }

    private final String label;
    private final String unit;

    DataFormat(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    /** The format's name in messages: {@code CIFAR-10 binary}. */
    public String label() {
        return label;
    }

    /** What a sample is called: {@code images}, {@code rows}. */
    public String unit() {
        return unit;
    }

    /** Whether the samples are images (of shape (channels, height, width)). */
    public boolean isImages() {
        return this != CSV;
    }

    /**
     * The format of the dataset at {@code path}: a directory, or a {@code .csv} file.
     *
     * @throws DatasetException when the path does not exist or holds none of the formats, saying what each needs
     */
    public static DataFormat detect(Path path) throws DatasetException {
        if (!Files.exists(path)) {
            throw new DatasetException(path + ": dataset directory not found (expected " + EXPECTED + ")");
        }
        if (Files.isRegularFile(path)) {
            if (!CsvDataset.files(path).isEmpty()) {
                return CSV;
            }
            throw new DatasetException(path + ": not a dataset: a file is read as a table when its name ends in "
                    + ".csv; for the other formats give their directory");
        }
        for (Split split : Split.values()) {
            for (String name : new String[] {MnistDataset.imagesFileName(split), MnistDataset.labelsFileName(split)}) {
                if (Files.exists(path.resolve(name)) || Files.exists(path.resolve(name + MnistDataset.GZIP_SUFFIX))) {
                    return IDX;
                }
            }
        }
        if (Cifar10Dataset.locate(path) != null) {
            return CIFAR10;
        }
        if (Files.isRegularFile(path.resolve(CsvDataset.TRAIN_FILE))
                || Files.isRegularFile(path.resolve(CsvDataset.TEST_FILE))) {
            return CSV;
        }
        if (ImageFolderDataset.isImageFolder(path)) {
            return IMAGE_FOLDER;
        }
        if (!CsvDataset.files(path).isEmpty()) {
            return CSV;
        }
        throw new DatasetException(path + ": no dataset found in it (expected " + EXPECTED + ")");
    }

    /**
     * Opens one split of the dataset at {@code path} in this format.
     *
     * @throws DatasetException naming the file (and the record) that is missing or bad
     */
    public Dataset open(Path path, Split split, Settings settings) throws DatasetException {
        Targets known = settings.known();
        if (known != null && known.isClassification() && known.classNames().isEmpty()) {
            known = null; // classes without names: the folders' or the rows' names decide, as for training
        }
        return switch (this) {
            case IDX -> MnistDataset.load(path, split);
            case CIFAR10 -> Cifar10Dataset.load(path, split);
            case IMAGE_FOLDER -> ImageFolderDataset.open(path, split, settings.imageShape(),
                    known == null ? null : known.classNames(), settings.images());
            case CSV -> CsvDataset.open(path, split, settings.table(), known);
        };
    }
}
