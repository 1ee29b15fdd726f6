package dev.cortado.data;

import dev.cortado.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads MNIST-format datasets (MNIST, Fashion-MNIST) from a directory holding the four IDX files under their
 * usual names, each plain or gzipped: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, optionally ending in {@code .gz}. Pixels are
 * scaled to [0, 1] as {@code x / 255f}; samples have shape (1, rows, columns); there are 10 classes, named as
 * Fashion-MNIST's ({@link #CLASS_NAMES}), the project's default dataset (the files do not name their classes).
 */
public final class MnistDataset {
    /** Number of classes in MNIST and Fashion-MNIST. */
    public static final int CLASSES = 10;
    /** The names of the classes: Fashion-MNIST's, by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Suffix of the gzipped form of each file; when both forms are present the plain one is read. */
    public static final String GZIP_SUFFIX = ".gz";

    private static final float[] PIXEL_VALUES = pixelValues();

    private MnistDataset() {
    }

    /** File name (without {@code .gz}) of a split's images. */
    public static String imagesFileName(Split split) {
        return prefix(split) + "-images-idx3-ubyte";
    }

    /** File name (without {@code .gz}) of a split's labels. */
    public static String labelsFileName(Split split) {
        return prefix(split) + "-labels-idx1-ubyte";
    }

    /** Reads one split from {@code dir}; the message of a failure names the file or directory and the problem. */
    public static ArrayDataset load(Path dir, Split split) throws DatasetException {
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
        return new ArrayDataset(scalePixels(images.data()), checkLabels(labels), images.count(),
                Shape.of(1, images.dims()[1], images.dims()[2]), Targets.classes(CLASS_NAMES));
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

    /** The input value of pixel byte {@code k} (0..255): {@code k / 255f}. */
    static float pixelValue(int k) {
        return PIXEL_VALUES[k];
    }

    private static float[] scalePixels(byte[] pixels) {
        float[] scaled = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            scaled[i] = PIXEL_VALUES[pixels[i] & 0xFF];
        }
        return scaled;
    }

    private static float[] checkLabels(IdxArray labels) throws DatasetException {
        byte[] raw = labels.data();
        float[] values = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            int label = raw[i] & 0xFF;
            if (label >= CLASSES) {
                throw new DatasetException(labels.file() + ": label " + label + " at index " + i
                        + " is outside the classes 0.." + (CLASSES - 1));
            }
            values[i] = label;
        }
        return values;
    }

    /** {@code x / 255f} for every byte value: the same rounding as PyTorch's {@code x.float().div(255)}. */
    private static float[] pixelValues() {
        float[] values = new float[256];
        for (int i = 0; i < values.length; i++) {
            values[i] = i / 255f;
        }
        return values;
    }
}
