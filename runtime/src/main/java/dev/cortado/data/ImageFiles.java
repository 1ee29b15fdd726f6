package dev.cortado.data;

import dev.cortado.io.IoErrors;
import dev.cortado.tensor.Shape;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Image files as model inputs: decoded with the JDK's ImageIO (PNG, JPEG, BMP, GIF), converted to grey or RGB,
 * resized and stored as bytes, channel after channel ({@code (channels, height, width)}, the layout of CIFAR's
 * records). Training, evaluation and prediction all read images here, so an image gives the same input
 * everywhere.
 *
 * <p>Grey images are read from their samples as stored (ImageIO's RGB conversion of grey would change them);
 * colour becomes grey as {@code (299 R + 587 G + 114 B + 500) / 1000}, grey becomes colour by copying it into the
 * three channels, and transparency is dropped. The resize is bilinear with half-pixel centres and, when shrinking,
 * a filter widened by the shrink factor so that every source pixel counts (as Pillow's {@code BILINEAR}); an image
 * of the requested size is left as it is.
 */
public final class ImageFiles {
    /** The file name extensions read as images, lower case. */
    public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

    private ImageFiles() {
    }

    /** Whether the file's name ends in one of the {@link #EXTENSIONS} (in any case) and is not hidden. */
    public static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".") && dot > 0
                && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * Decodes an image and makes it {@code shape}: (1, height, width) for grey or (3, height, width) for RGB.
     *
     * @return {@code shape.size()} bytes, channel after channel, each channel row by row
     * @throws DatasetException naming the file when it cannot be read or is not an image ImageIO decodes
     * @throws IllegalArgumentException when {@code shape} is not (1 or 3, height, width)
     */
    public static byte[] read(Path file, Shape shape) throws DatasetException {
        checkShape(shape);
        BufferedImage image = decode(file);
        byte[] pixels = pixels(image, shape.dim(0));
        int height = image.getHeight();
        int width = image.getWidth();
        return height == shape.dim(1) && width == shape.dim(2) ? pixels
                : Resize.bilinear(pixels, shape.dim(0), height, width, shape.dim(1), shape.dim(2));
    }

    /**
     * Checks that samples of {@code shape} can be images.
     *
     * @throws IllegalArgumentException when {@code shape} is not (1 or 3, height, width)
     */
    public static void checkShape(Shape shape) {
        if (shape.rank() != 3 || (shape.dim(0) != 1 && shape.dim(0) != 3)) {
            throw new IllegalArgumentException("images are read as (1, height, width) for grey or (3, height, width) "
                    + "for colour, not " + shape);
        }
    }

    /** Writes the model inputs of an image read by {@link #read}: byte {@code k} becomes {@code k / 255f}. */
    public static void toInputs(byte[] pixels, float[] dst, int dstOffset) {
        for (int i = 0; i < pixels.length; i++) {
            dst[dstOffset + i] = ByteImages.pixelValue(pixels[i] & 0xFF);
        }
    }

    /**
     * The model inputs of image files, back to back: each {@link #read} as {@code shape}, scaled to [0, 1] by
     * {@link #toInputs} and normalized when {@code normalization} is not null, the steps (and arithmetic) of
     * training on an image folder.
     *
     * @throws DatasetException naming the first file that cannot be read
     */
    public static float[] inputs(List<Path> files, Shape shape, Normalization normalization) throws DatasetException {
        if (normalization != null) {
            normalization.checkFits(shape);
        }
        int size = Math.toIntExact(shape.size());
        float[] inputs = new float[Math.multiplyExact(files.size(), size)];
        for (int i = 0; i < files.size(); i++) {
            toInputs(read(files.get(i), shape), inputs, i * size);
            if (normalization != null) {
                normalization.apply(inputs, i * size, size);
            }
        }
        return inputs;
    }

    private static BufferedImage decode(Path file) throws DatasetException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file + ": " + (Files.exists(file) ? "not a file" : "no such file"));
        }
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw new DatasetException(file + ": not an image the JDK can decode (it reads "
                        + String.join(", ", EXTENSIONS) + ")");
            }
            return image;
        } catch (IOException | RuntimeException e) {
            // ImageIO reports damaged data as IIOException, and some damage as unchecked exceptions.
            throw new DatasetException(file + ": unreadable image: " + (e instanceof IOException io
                    ? IoErrors.reason(io) : e.toString()), e);
        }
    }

    /** The image's pixels as bytes in {@code channels} (1 or 3), channel after channel. */
    private static byte[] pixels(BufferedImage image, int channels) {
        int height = image.getHeight();
        int width = image.getWidth();
        int plane = height * width;
        byte[] out = new byte[channels * plane];
        if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            Raster raster = image.getRaster();
            int max = (1 << image.getColorModel().getComponentSize(0)) - 1;
            int[] row = new int[width];
            for (int y = 0; y < height; y++) {
                raster.getSamples(0, y, width, 1, 0, row);
                for (int x = 0; x < width; x++) {
                    byte grey = (byte) ((row[x] * 255 + max / 2) / max);
                    for (int c = 0; c < channels; c++) {
                        out[c * plane + y * width + x] = grey;
                    }
                }
            }
            return out;
        }
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        for (int i = 0; i < plane; i++) {
            int r = (argb[i] >> 16) & 0xFF;
            int g = (argb[i] >> 8) & 0xFF;
            int b = argb[i] & 0xFF;
            if (channels == 1) {
                out[i] = (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
            } else {
                out[i] = (byte) r;
                out[plane + i] = (byte) g;
                out[2 * plane + i] = (byte) b;
            }
        }
        return out;
    }
}
