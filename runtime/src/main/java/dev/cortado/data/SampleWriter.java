package dev.cortado.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a dataset of 8-bit grey images as the two gzipped IDX files {@link MnistDataset} reads, e.g. to bundle a
 * small sample of Fashion-MNIST with the CLI for machines without the dataset. The output depends only on the
 * data (the gzip header carries no time stamp), so the same sample always gives the same bytes.
 *
 * <p>From the command line: {@code SampleWriter <source dir> <target dir> <train samples> <test samples>} writes
 * the first samples of each split of the MNIST-format dataset in the source directory.
 */
public final class SampleWriter {
    private static final int BUFFER_BYTES = 1 << 16;

    private SampleWriter() {
    }

    /**
     * Writes {@code dataset} into {@code dir} under the split's file names with {@code .gz} appended, replacing
     * files of those names.
     *
     * @return the images file and the labels file
     * @throws IllegalArgumentException if the samples are not of shape (1, rows, columns), an input is not a
     *     pixel value {@code k / 255f}, or a label does not fit in a byte
     */
    public static List<Path> write(ArrayDataset dataset, Path dir, Split split) throws IOException {
        int[] sample = dataset.sampleShape().dims();
        if (sample.length != 3 || sample[0] != 1) {
            throw new IllegalArgumentException("IDX images need samples of shape (1, rows, columns), got "
                    + dataset.sampleShape());
        }
        Files.createDirectories(dir);
        Path images = dir.resolve(MnistDataset.imagesFileName(split) + MnistDataset.GZIP_SUFFIX);
        Path labels = dir.resolve(MnistDataset.labelsFileName(split) + MnistDataset.GZIP_SUFFIX);
        writeIdx(images, IdxReader.IMAGES_MAGIC, new int[] {dataset.count(), sample[1], sample[2]},
                pixelBytes(dataset.inputs()));
        writeIdx(labels, IdxReader.LABELS_MAGIC, new int[] {dataset.count()}, labelBytes(dataset.targetValues()));
        return List.of(images, labels);
    }

    /** See the class comment. */
    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: SampleWriter <source dir> <target dir> <train samples> <test samples>");
            System.exit(2);
        }
        try {
            Path source = Path.of(args[0]);
            Path target = Path.of(args[1]);
            int[] counts = {Integer.parseInt(args[2]), Integer.parseInt(args[3])};
            long total = 0;
            for (Split split : Split.values()) {
                ArrayDataset subset = MnistDataset.load(source, split).first(counts[split.ordinal()]).toArrays();
                for (Path file : write(subset, target, split)) {
                    long bytes = Files.size(file);
                    total += bytes;
                    System.out.println("wrote " + file + " (" + bytes + " bytes)");
                }
            }
            System.out.println("total " + total + " bytes");
        } catch (DatasetException | IOException | IllegalArgumentException e) {
            System.err.println("SampleWriter: " + e.getMessage());
            System.exit(1);
        }
    }

    private static byte[] pixelBytes(float[] inputs) {
        byte[] bytes = new byte[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            float x = inputs[i];
            int k = Math.round(x * 255f);
            if (k < 0 || k > 255 || ByteImages.pixelValue(k) != x) {
                throw new IllegalArgumentException("input " + i + " is " + x + ", not a pixel value k/255 with k in"
                        + " 0..255: only 8-bit images can be written as IDX");
            }
            bytes[i] = (byte) k;
        }
        return bytes;
    }

    private static byte[] labelBytes(float[] labels) {
        byte[] bytes = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] > 255) {
                throw new IllegalArgumentException("label " + labels[i] + " of sample " + i + " does not fit in a"
                        + " byte");
            }
            bytes[i] = (byte) labels[i];
        }
        return bytes;
    }

    private static void writeIdx(Path file, int magic, int[] dims, byte[] data) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
                DataOutputStream out = new DataOutputStream(new BestGzipOutputStream(raw))) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }

    /** Gzip at the best compression level, to fit as many samples as possible in a bundle. */
    private static final class BestGzipOutputStream extends GZIPOutputStream {
        BestGzipOutputStream(OutputStream out) throws IOException {
            super(new BufferedOutputStream(out, BUFFER_BYTES), BUFFER_BYTES);
            def.setLevel(Deflater.BEST_COMPRESSION);
        }
    }
}
