package dev.cortado.data;

import static dev.cortado.data.Samples.labels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.tensor.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {
    private static final Shape RGB = Shape.of(3, 4, 5);
    private static final ImageFolderDataset.Settings SETTINGS = new ImageFolderDataset.Settings(0.25, 3, 1 << 20);

    @TempDir
    Path dir;

    @Test
    void trainAndTestFoldersAreTheSplitsAndTheFolderNamesTheClasses() throws Exception {
        DataFiles.image(dir.resolve("train/dog/b.png"), DataFiles.rgbImage(5, 4, 1), "png");
        DataFiles.image(dir.resolve("train/dog/a.png"), DataFiles.rgbImage(5, 4, 2), "png");
        DataFiles.image(dir.resolve("train/cat/sub/c.bmp"), DataFiles.rgbImage(5, 4, 3), "bmp");
        DataFiles.image(dir.resolve("train/.hidden/d.png"), DataFiles.rgbImage(5, 4, 4), "png");
        Files.writeString(dir.resolve("train/dog/notes.txt"), "not an image");
        Files.createDirectories(dir.resolve("train/empty"));
        DataFiles.image(dir.resolve("test/dog/e.png"), DataFiles.rgbImage(5, 4, 5), "png");

        ImageFolderDataset train = ImageFolderDataset.open(dir, Split.TRAIN, RGB, null, SETTINGS);
        ImageFolderDataset test = ImageFolderDataset.open(dir, Split.TEST, RGB, train.targets().classNames(),
                SETTINGS);

        assertEquals(List.of("cat", "dog"), train.targets().classNames());
        assertEquals(List.of(dir.resolve("train/cat/sub/c.bmp"), dir.resolve("train/dog/a.png"),
                dir.resolve("train/dog/b.png")), List.of(train.file(0), train.file(1), train.file(2)));
        assertEquals(List.of(0f, 1f, 1f), labels(train));
        assertEquals(1, test.count());
        assertEquals(List.of(1f), labels(test));
        assertEquals(train.targets(), test.targets());
        assertTrue(ImageFolderDataset.isImageFolder(dir));
    }

    @Test
    void anRgbImageOfTheShapeIsReadPixelForPixelChannelAfterChannel() throws Exception {
        BufferedImage image = DataFiles.rgbImage(5, 4, 7);
        DataFiles.image(dir.resolve("x/a.png"), image, "png");
        DataFiles.image(dir.resolve("y/a.png"), image, "png");
        ImageFolderDataset data = ImageFolderDataset.open(dir, Split.TRAIN, RGB, null,
                new ImageFolderDataset.Settings(0.01, 0, 0));
        float[] actual = new float[60];
        data.copyInputs(0, actual, 0);
        float[] expected = new float[60];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                int rgb = image.getRGB(x, y);
                expected[y * 5 + x] = ((rgb >> 16) & 0xFF) / 255f;
                expected[20 + y * 5 + x] = ((rgb >> 8) & 0xFF) / 255f;
                expected[40 + y * 5 + x] = (rgb & 0xFF) / 255f;
            }
        }
        assertArrayEquals(expected, actual);
    }

    @Test
    void colourBecomesGreyByItsLumaAndGreyIsReadAsStored() throws Exception {
        BufferedImage colour = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        colour.setRGB(0, 0, 0xFF0000);
        colour.setRGB(1, 0, 0x10E040);
        Path colourFile = DataFiles.image(dir.resolve("c.png"), colour, "png");
        assertArrayEquals(new byte[] {(byte) 76, (byte) ((299 * 0x10 + 587 * 0xE0 + 114 * 0x40 + 500) / 1000)},
                ImageFiles.read(colourFile, Shape.of(1, 1, 2)));

        BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 100, 255});
        Path greyFile = DataFiles.image(dir.resolve("g.png"), grey, "png");
        assertArrayEquals(new byte[] {0, 100, (byte) 255}, ImageFiles.read(greyFile, Shape.of(1, 1, 3)));
        assertArrayEquals(new byte[] {0, 100, (byte) 255, 0, 100, (byte) 255, 0, 100, (byte) 255},
                ImageFiles.read(greyFile, Shape.of(3, 1, 3)), "grey copied into the three channels");
    }

    @Test
    void resizingKeepsAPlainColourAndAveragesWhenShrinking() throws Exception {
        BufferedImage image = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 8; x++) {
                image.setRGB(x, y, x % 2 == 0 ? 0x204060 : 0x6080A0);
            }
        }
        Path file = DataFiles.image(dir.resolve("stripes.png"), image, "png");
        byte[] small = ImageFiles.read(file, Shape.of(3, 3, 4));
        for (int y = 0; y < 3; y++) {
            for (int x = 1; x < 3; x++) {
                // Away from the edges each output pixel weighs both stripes alike.
                assertEquals(0x40, small[y * 4 + x] & 0xFF, "red averages 0x20 and 0x60");
                assertEquals(0x60, small[12 + y * 4 + x] & 0xFF);
                assertEquals(0x80, small[24 + y * 4 + x] & 0xFF);
            }
        }
        byte[] large = ImageFiles.read(DataFiles.image(dir.resolve("plain.png"), plain(3, 2, 0x123456), "png"),
                Shape.of(3, 7, 9));
        for (int i = 0; i < 63; i++) {
            assertEquals(0x12, large[i] & 0xFF);
            assertEquals(0x34, large[63 + i] & 0xFF);
            assertEquals(0x56, large[126 + i] & 0xFF);
        }
    }

    @Test
    void withoutSplitFoldersASeededFractionOfEachClassIsTheTestSplit() throws Exception {
        for (int i = 0; i < 8; i++) {
            DataFiles.image(dir.resolve("a/" + i + ".png"), DataFiles.rgbImage(5, 4, i), "png");
            DataFiles.image(dir.resolve("b/" + i + ".jpg"), DataFiles.rgbImage(5, 4, 100 + i), "jpg");
        }
        ImageFolderDataset train = ImageFolderDataset.open(dir, Split.TRAIN, RGB, null, SETTINGS);
        ImageFolderDataset test = ImageFolderDataset.open(dir, Split.TEST, RGB, null, SETTINGS);

        assertEquals(12, train.count());
        assertEquals(4, test.count(), "a quarter of each class's 8 images");
        assertEquals(List.of(0f, 0f, 1f, 1f), labels(test));
        Set<Path> all = new HashSet<>(files(train));
        all.addAll(files(test));
        assertEquals(16, all.size(), "the splits do not overlap");
        assertEquals(files(test), files(ImageFolderDataset.open(dir, Split.TEST, RGB, null, SETTINGS)),
                "the same seed chooses the same images");
        ImageFolderDataset.Settings otherSeed = new ImageFolderDataset.Settings(0.25, 4, 0);
        assertFalse(files(test).equals(files(ImageFolderDataset.open(dir, Split.TEST, RGB, null, otherSeed))));
    }

    @Test
    void cachedAndDecodedImagesAreTheSame() throws Exception {
        for (int i = 0; i < 6; i++) {
            DataFiles.image(dir.resolve("train/c" + (i % 2) + "/" + i + ".png"), DataFiles.rgbImage(9, 7, i), "png");
        }
        ImageFolderDataset cached = ImageFolderDataset.open(dir, Split.TRAIN, RGB, null, SETTINGS);
        ImageFolderDataset uncached = ImageFolderDataset.open(dir, Split.TRAIN, RGB, null,
                new ImageFolderDataset.Settings(0.5, 0, 0));
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 6; i++) {
                float[] a = new float[60];
                float[] b = new float[60];
                cached.copyInputs(i, a, 0);
                uncached.copyInputs(i, b, 0);
                assertArrayEquals(a, b);
            }
        }
        assertEquals(6 * 60, cached.cachedBytes());
        assertEquals(0, uncached.cachedBytes());
        assertEquals(6 * 60 + 6, cached.heldBytes(), "at most the decoded images and a label byte each");
        assertEquals(6, uncached.heldBytes(), "with no cache only the labels");
    }

    @Test
    void anUnreadableImageIsAnErrorNamingTheFileWhenItIsRead() throws Exception {
        DataFiles.image(dir.resolve("train/a/good.png"), DataFiles.rgbImage(5, 4, 1), "png");
        Path bad = DataFiles.write(dir.resolve("train/b/bad.png"), "not a PNG at all".getBytes());
        ImageFolderDataset train = ImageFolderDataset.open(dir, Split.TRAIN, RGB, null, SETTINGS);
        try (BatchLoader loader = BatchLoader.open(train.readInParallel(2), 2, SampleOrder.sequential())) {
            SampleReadException e = assertThrows(SampleReadException.class, loader::next);
            assertTrue(e.getMessage().startsWith(bad + ": not an image the JDK can decode"), e.getMessage());
            assertTrue(e.getMessage().endsWith("(image 1 of the train split of " + dir + ")"), e.getMessage());
        }
        byte[] png = Files.readAllBytes(dir.resolve("train/a/good.png"));
        Path truncated = DataFiles.write(dir.resolve("cut.png"), java.util.Arrays.copyOf(png, png.length / 2));
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFiles.read(truncated, RGB));
        assertTrue(e.getMessage().startsWith(truncated + ": unreadable image: "), e.getMessage());
    }

    @Test
    void aTestClassTheModelDoesNotKnowIsAnError() throws Exception {
        DataFiles.image(dir.resolve("test/zebra/a.png"), DataFiles.rgbImage(5, 4, 1), "png");
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolderDataset.open(dir, Split.TEST, RGB,
                List.of("cat", "dog"), SETTINGS));
        assertEquals(dir.resolve("test/zebra") + ": class 'zebra' is not one of the 2 classes the model knows (cat, "
                + "dog)", e.getMessage());
        DatasetException missing = assertThrows(DatasetException.class, () -> ImageFolderDataset.open(dir,
                Split.TRAIN, RGB, null, SETTINGS));
        assertTrue(missing.getMessage().startsWith(dir.resolve("train") + ": no class folders of images in it"),
                missing.getMessage());
        assertInstanceOf(IllegalArgumentException.class, assertThrows(RuntimeException.class,
                () -> ImageFolderDataset.open(dir, Split.TEST, Shape.of(2, 4, 4), null, SETTINGS)));
    }

    private static BufferedImage plain(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    private static List<Path> files(ImageFolderDataset data) {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < data.count(); i++) {
            files.add(data.file(i));
        }
        return files;
    }
}
