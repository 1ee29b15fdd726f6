package dev.cortado.data;

import dev.cortado.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;

/**
 * Images in a folder per class: {@code root/<class>/*.png} (any of {@link ImageFiles#EXTENSIONS}, in subfolders
 * too), the classes named by their folders in sorted order. With {@code root/train/<class>/...} and
 * {@code root/test/<class>/...} those are the splits; otherwise the test split is a fraction of each class's
 * images (see {@link Settings}). Images are converted to grey or RGB and resized to the sample shape asked for
 * ({@link ImageFiles}), typically the model's input.
 *
 * <p>Opening a folder only lists it. An image is decoded when it is first read, on the {@link BatchLoader}'s
 * threads, and kept as bytes while the cache has room ({@link Settings#cacheBytes()}): a folder of large photos
 * need not fit in memory, and one that does (CIFAR-sized images take 3 KiB each) is decoded once. The cache keeps
 * the first images it meets and never evicts: with shuffled epochs every image is equally likely to come next, so
 * any cache of a given size serves the same share of reads, and this one needs no locking.
 */
public final class ImageFolderDataset implements Dataset {
    /** The folder of the training split in the split layout. */
    public static final String TRAIN_FOLDER = "train";
    /** The folder of the test split in the split layout. */
    public static final String TEST_FOLDER = "test";

    /**
     * How to split and cache a folder.
     *
     * @param testFraction without train/ and test/ folders, the share of each class's images held out as the test
     *     split, in (0, 1): the first {@code round(fraction * n)} of the class's images (sorted by path) in the
     *     order {@code SampleOrder.shuffled(splitSeed, classIndex)}
     * @param splitSeed the seed of that choice
     * @param cacheBytes the most bytes of decoded images kept in memory, 0 for none
     */
    public record Settings(double testFraction, long splitSeed, long cacheBytes) {
        /** A fifth of each class for testing, seed 0, and a quarter of the Java heap for decoded images. */
        public static Settings defaults() {
            return new Settings(0.2, 0, Runtime.getRuntime().maxMemory() / 4);
        }

        /** @throws IllegalArgumentException for a test fraction outside (0, 1) or a negative cache */
        public Settings {
            if (!(testFraction > 0 && testFraction < 1)) {
                throw new IllegalArgumentException("the test fraction must be between 0 and 1, got " + testFraction);
            }
            if (cacheBytes < 0) {
                throw new IllegalArgumentException("the image cache must not be negative, got " + cacheBytes);
            }
        }
    }

    private final Path root;
    private final Split split;
    private final List<Path> files;
    private final byte[] labels;
    private final Shape shape;
    private final Targets targets;
    private final long cacheBytes;
    private final AtomicReferenceArray<byte[]> cache;
    private final AtomicLong cached = new AtomicLong();

    private ImageFolderDataset(Path root, Split split, List<Path> files, byte[] labels, Shape shape,
                               List<String> classNames, long cacheBytes) {
        this.root = root;
        this.split = split;
        this.files = List.copyOf(files);
        this.labels = labels;
        this.shape = shape;
        this.targets = Targets.classes(classNames);
        this.cacheBytes = cacheBytes;
        this.cache = new AtomicReferenceArray<>(files.size());
    }

    /** Whether {@code root} has {@code train/} or {@code test/} folders of class folders. */
    public static boolean hasSplitFolders(Path root) {
        return !classFolders(root.resolve(TRAIN_FOLDER)).isEmpty() || !classFolders(root.resolve(TEST_FOLDER))
                .isEmpty();
    }

    /** Whether {@code root} is an image folder: class folders of images, directly or under train/ or test/. */
    public static boolean isImageFolder(Path root) {
        return Files.isDirectory(root) && (hasSplitFolders(root) || !classFolders(root).isEmpty());
    }

    /**
     * Lists one split of the image folder at {@code root}.
     *
     * @param shape the shape images are made: (1 or 3, height, width)
     * @param classNames the classes, by index, that the folders' names stand for (those of a model's training
     *     data), or null for the class folders of the training split in sorted order
     * @throws DatasetException naming the folder: no class folders, a split folder missing, a class folder whose
     *     name is not one of the classes
     */
    public static ImageFolderDataset open(Path root, Split split, Shape shape, List<String> classNames,
                                          Settings settings) throws DatasetException {
        ImageFiles.checkShape(shape);
        boolean splitFolders = hasSplitFolders(root);
        Path trainRoot = splitFolders ? root.resolve(TRAIN_FOLDER) : root;
        List<String> names = classNames;
        if (names == null) {
            List<Path> trainClasses = classFolders(trainRoot);
            if (trainClasses.isEmpty()) {
                throw new DatasetException(trainRoot + ": no class folders of images in it (expected "
                        + trainRoot.resolve("<class>/<image>.png") + ")");
            }
            names = trainClasses.stream().map(p -> p.getFileName().toString()).toList();
        }
        if (names.size() > 256) {
            throw new DatasetException(trainRoot + ": " + names.size() + " class folders; at most 256 are read");
        }
        Path splitRoot = splitFolders ? root.resolve(split == Split.TRAIN ? TRAIN_FOLDER : TEST_FOLDER) : root;
        List<Path> folders = classFolders(splitRoot);
        if (folders.isEmpty()) {
            throw new DatasetException(splitRoot + ": no class folders of images in it (the "
                    + split.name().toLowerCase(Locale.ROOT) + " split of " + root + " is expected in "
                    + splitRoot.resolve("<class>/<image>.png") + ")");
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path folder : folders) {
            String name = folder.getFileName().toString();
            int label = names.indexOf(name);
            if (label < 0) {
                throw new DatasetException(folder + ": class '" + name + "' is not one of the " + names.size()
                        + " classes the model knows (" + String.join(", ", names) + ")");
            }
            List<Path> images = images(folder);
            if (!splitFolders) {
                images = heldOut(images, split, label, settings);
            }
            for (Path image : images) {
                files.add(image);
                labels.add(label);
            }
        }
        byte[] labelBytes = new byte[labels.size()];
        for (int i = 0; i < labelBytes.length; i++) {
            labelBytes[i] = (byte) (int) labels.get(i);
        }
        return new ImageFolderDataset(root, split, files, labelBytes, shape, names, settings.cacheBytes());
    }

    /** The image file of sample {@code index}. */
    public Path file(int index) {
        return files.get(index);
    }

    @Override
    public int count() {
        return files.size();
    }

    @Override
    public Shape sampleShape() {
        return shape;
    }

    @Override
    public Targets targets() {
        return targets;
    }

    /**
     * Decodes the image (or takes it from the cache) and writes its values {@code k / 255f}.
     *
     * @throws SampleReadException naming the file when it cannot be decoded
     */
    @Override
    public void copyInputs(int index, float[] dst, int dstOffset) {
        ImageFiles.toInputs(pixels(index), dst, dstOffset);
    }

    @Override
    public void copyTarget(int index, float[] dst, int dstOffset) {
        dst[dstOffset] = labels[index] & 0xFF;
    }

    /**
     * The most its cache of decoded images will hold (a byte a value, up to {@link Settings#cacheBytes()}), and a
     * label byte an image: the images themselves stay in their files until read.
     */
    @Override
    public long heldBytes() {
        return Math.min(cacheBytes, (long) count() * sampleSize()) + count();
    }

    /** The bytes of decoded images held in memory now. */
    public long cachedBytes() {
        return Math.min(cached.get(), cacheBytes);
    }

    private byte[] pixels(int index) {
        byte[] pixels = cache.get(index);
        if (pixels != null) {
            return pixels;
        }
        try {
            pixels = ImageFiles.read(files.get(index), shape);
        } catch (DatasetException e) {
            throw new SampleReadException(e.getMessage() + " (image " + index + " of the "
                    + split.name().toLowerCase(Locale.ROOT) + " split of " + root + ")", e);
        }
        if (cached.addAndGet(pixels.length) <= cacheBytes) {
            cache.set(index, pixels);
        } else {
            cached.addAndGet(-pixels.length);
        }
        return pixels;
    }

    @Override
    public String toString() {
        return "ImageFolderDataset[" + root + ", " + split + ", count=" + count() + ", " + shape + ", " + targets + "]";
    }

    /** The images of a class in the split: a seeded choice of a fraction of them for the test split. */
    private static List<Path> heldOut(List<Path> images, Split split, int label, Settings settings) {
        int n = images.size();
        int test = (int) Math.round(settings.testFraction() * n);
        int[] order = SampleOrder.shuffled(settings.splitSeed(), label).indices(n);
        boolean[] inTest = new boolean[n];
        for (int i = 0; i < test; i++) {
            inTest[order[i]] = true;
        }
        List<Path> chosen = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (inTest[i] == (split == Split.TEST)) {
                chosen.add(images.get(i));
            }
        }
        return chosen;
    }

    /** The subfolders of {@code dir} (not hidden) that hold at least one image, sorted by name. */
    private static List<Path> classFolders(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .filter(ImageFolderDataset::holdsImages).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean holdsImages(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.anyMatch(p -> isImageIn(folder, p));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    private static boolean isImageIn(Path folder, Path p) {
        return Files.isRegularFile(p) && ImageFiles.isImage(p) && !hidden(folder.relativize(p));
    }

    /** The images in {@code folder} and its subfolders (not hidden), sorted by their path. */
    private static List<Path> images(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> isImageIn(folder, p)).sorted(Comparator.comparing(p -> folder.relativize(p)
                    .toString())).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
