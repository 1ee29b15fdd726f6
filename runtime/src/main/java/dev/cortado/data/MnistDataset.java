package dev.cortado.data;

import dev.cortado.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An MNIST-format dataset (MNIST, Fashion-MNIST), read from a directory holding the four IDX files under their
 * usual names, each plain or gzipped: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, optionally ending in {@code .gz}. Pixels are
 * served scaled to [0, 1] as {@code x / 255f}; samples have shape (1, rows, columns); there are 10 classes, named
 * as Fashion-MNIST's ({@link #CLASS_NAMES}), the project's default dataset (the files do not name their classes).
 *
 * <p>The pixels stay in memory as the files' bytes, a quarter of their size as floats (Fashion-MNIST's training
 * split: 47 MB rather than 188 MB), and are scaled as each sample is copied into a batch.
 */
public final class MnistDataset extends ByteImages {
    /** Number of classes in MNIST and Fashion-MNIST. */
    public static final int CLASSES = 10;
    /** The names of the classes: Fashion-MNIST's, by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Suffix of the gzipped form of each file; when both forms are present the plain one is read. */
    public static final String GZIP_SUFFIX = ".gz";

    private MnistDataset(byte[] pixels, byte[] labels, Shape sampleShape) {
        super(pixels, labels, sampleShape, Targets.classes(CLASS_NAMES));
    }

    /** File name (without {@code .gz}) of a split's images. */
    public static String imagesFileName(Split split) {
        return prefix(split) + "-images-idx3-ubyte";
    }

    /** File name (without {@code .gz}) of a split's labels. */
    public static String labelsFileName(Split split) {
        return prefix(split) + "-labels-idx1-ubyte";
    }

    /**
     * Reads one split.
     *
     * @param dir   the directory of the IDX files
     * @param split which pair of files
     * @return the split's images and labels
     * @throws DatasetException naming the file or directory and the problem
     */
    public static MnistDataset load(Path dir, Split split) throws DatasetException {
        String imagesName = imagesFileName(split);
        String labelsName = labelsFileName(split);
        String expected = imagesName + "[" + GZIP_SUFFIX + "] and " + labelsName + "[" + GZIP_SUFFIX + "]";
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(dir + ": dataset directory not found (expected " + expected
                    + " in it for the " + split + " split)");
        }
        Path imagesFile = find(dir, imagesName);
        Path labelsFile = find(dir, labelsName);
        if (imagesFile == null || labelsFile == null) {
            List<String> missing = new ArrayList<>();
            if (imagesFile == null) {
                missing.add(imagesName + "[" + GZIP_SUFFIX + "]");
            }
            if (labelsFile == null) {
                missing.add(labelsName + "[" + GZIP_SUFFIX + "]");
            }
            throw new DatasetException(dir + ": missing " + String.join(" and ", missing) + " (the " + split
                    + " split needs " + expected + ")");
        }
        IdxArray images = IdxReader.readImages(imagesFile);
        IdxArray labels = IdxReader.readLabels(labelsFile);
        if (images.count() != labels.count()) {
            throw new DatasetException(imagesFile + " holds " + images.count() + " images but " + labelsFile
                    + " holds " + labels.count() + " labels");
        }
        return new MnistDataset(images.data(), checkLabels(labels), Shape.of(1, images.dims()[1],
                images.dims()[2]));
    }

    /**
     * The first samples, copied; for quick runs and small sample files.
     *
     * @param n how many, at most {@link #count()}
     * @return a dataset of the first {@code n} samples
     */
    public MnistDataset first(int n) {
        if (n < 0 || n > count()) {
            throw new IllegalArgumentException("cannot take the first " + n + " of " + count() + " samples");
        }
        return new MnistDataset(Arrays.copyOf(pixels, n * sampleSize()), Arrays.copyOf(labels, n), sampleShape());
    }

    /**
     * The samples as float arrays (4 bytes a pixel), for code that works on the values themselves.
     *
     * @return the inputs as served and the labels as class indices
     */
    public ArrayDataset toArrays() {
        float[] inputs = new float[pixels.length];
        float[] values = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            copyInputs(i, inputs, i * sampleSize());
            values[i] = labels[i];
        }
        return new ArrayDataset(inputs, values, labels.length, sampleShape(), targets());
    }

    @Override
    public String toString() {
        return "MnistDataset[count=" + count() + ", sampleShape=" + sampleShape() + ", " + targets() + "]";
    }

    private static String prefix(Split split) {
        return switch (split) {
            case TRAIN -> "train";
            case TEST -> "t10k";
        };
    }

    private static Path find(Path dir, String name) {
        Path plain = dir.resolve(name);
        if (Files.exists(plain)) {
            return plain;
        }
        Path gzipped = dir.resolve(name + GZIP_SUFFIX);
        return Files.exists(gzipped) ? gzipped : null;
    }

    private static byte[] checkLabels(IdxArray labels) throws DatasetException {
        byte[] raw = labels.data();
        for (int i = 0; i < raw.length; i++) {
            int label = raw[i] & 0xFF;
            if (label >= CLASSES) {
                throw new DatasetException(labels.file() + ": label " + label + " at index " + i
                        + " is outside the classes 0.." + (CLASSES - 1));
            }
        }
        return raw;
    }
}
