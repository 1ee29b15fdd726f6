package dev.cortado.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.random.Philox;
import dev.cortado.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AugmentationTest {
    private static final Shape IMAGE = Shape.of(2, 6, 5);
    private static final int SIZE = 60;

    @Test
    void theSameSeedEpochAndIndexGiveTheSameImageAndAnotherEpochAnother() {
        Augmentation crops = Augmentation.standard();
        float[] image = pattern(0);
        float[] a = augment(crops, image, 42, 3, 17);
        assertArrayEquals(a, augment(crops, image, 42, 3, 17));
        int changed = 0;
        for (int epoch = 4; epoch < 14; epoch++) {
            changed += Arrays.equals(a, augment(crops, image, 42, epoch, 17)) ? 0 : 1;
        }
        assertTrue(changed >= 8, "other epochs give other crops: " + changed + " of 10 differ");
    }

    @Test
    void aCropShiftsByTheDrawnOffsetsFillsWithZerosAndAFlipMirrorsTheRows() {
        Augmentation crops = new Augmentation(2, true);
        float[] image = pattern(0);
        for (int index = 0; index < 50; index++) {
            int[] words = new int[4];
            Philox.block(index, 1, 7 ^ Augmentation.KEY_TWEAK, words);
            int dx = (int) (((words[0] & 0xFFFFFFFFL) * 5) >>> 32) - 2;
            int dy = (int) (((words[1] & 0xFFFFFFFFL) * 5) >>> 32) - 2;
            boolean flip = words[2] < 0;
            float[] out = augment(crops, image, 7, 1, index);
            for (int c = 0; c < 2; c++) {
                for (int y = 0; y < 6; y++) {
                    for (int x = 0; x < 5; x++) {
                        int sy = y + dy;
                        int sx = (flip ? 4 - x : x) + dx;
                        float expected = sy >= 0 && sy < 6 && sx >= 0 && sx < 5 ? image[c * 30 + sy * 5 + sx] : 0f;
                        assertEquals(expected, out[c * 30 + y * 5 + x], "index " + index);
                    }
                }
            }
        }
    }

    @Test
    void onlyShuffledEpochsAreAugmentedAndTheSameWithAnyThreadsOrStartBatch() {
        ArrayDataset images = images(23);
        Dataset augmented = images.augmented(Augmentation.standard());
        assertEquals(new Preprocessing(null, Augmentation.standard()), augmented.preprocessing());

        List<float[]> sequential = serve(augmented, SampleOrder.sequential(), 0);
        assertArrayEquals(images.inputs(), concat(sequential), "evaluation reads the images as they are");

        List<float[]> one = serve(augmented, SampleOrder.shuffled(5, 2), 0);
        List<float[]> four = serve(augmented.readInParallel(4), SampleOrder.shuffled(5, 2), 0);
        assertArrayEquals(concat(one), concat(four));
        List<float[]> resumed = serve(augmented.readInParallel(3), SampleOrder.shuffled(5, 2), 2);
        assertArrayEquals(concat(one.subList(2, one.size())), concat(resumed), "a resumed epoch sees the same");
        assertFalse(Arrays.equals(concat(one), concat(serve(images, SampleOrder.shuffled(5, 2), 0))));

        // A limit keeps the augmentation of the samples it keeps.
        Dataset firstTen = augmented.limit(10);
        float[] whole = new float[SIZE];
        float[] limited = new float[SIZE];
        augmented.forEpoch(SampleOrder.shuffled(5, 2)).copyInputs(7, whole, 0);
        firstTen.forEpoch(SampleOrder.shuffled(5, 2)).copyInputs(7, limited, 0);
        assertArrayEquals(whole, limited);
    }

    @Test
    void augmentationNeedsImagesNotYetNormalized() {
        ArrayDataset images = images(3);
        assertThrows(IllegalArgumentException.class, () -> ArrayDataset.regression(new float[6], new float[3],
                Shape.of(2), Shape.of(1)).augmented(Augmentation.standard()));
        Dataset normalized = images.normalized(new Normalization(new float[] {0, 0}, new float[] {1, 1}));
        var e = assertThrows(IllegalArgumentException.class, () -> normalized.augmented(Augmentation.standard()));
        assertTrue(e.getMessage().startsWith("augment samples before normalizing them"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, false));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(-1, true));
    }

    private static float[] augment(Augmentation a, float[] image, long seed, long epoch, int index) {
        float[] out = new float[SIZE];
        a.apply(image, 0, out, 0, IMAGE.dims(), seed, epoch, index);
        return out;
    }

    /** Distinct values 1..60 (plus an offset), so every moved pixel is recognisable and none is 0. */
    private static float[] pattern(int offset) {
        float[] image = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
            image[i] = offset + i + 1;
        }
        return image;
    }

    private static ArrayDataset images(int count) {
        float[] inputs = new float[count * SIZE];
        float[] labels = new float[count];
        for (int s = 0; s < count; s++) {
            System.arraycopy(pattern(100 * s), 0, inputs, s * SIZE, SIZE);
            labels[s] = s % 3;
        }
        return ArrayDataset.classification(inputs, labels, IMAGE, 3);
    }

    private static List<float[]> serve(Dataset data, SampleOrder order, int start) {
        List<float[]> batches = new ArrayList<>();
        try (BatchLoader loader = BatchLoader.open(data, 4, order, start)) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                batches.add(Arrays.copyOf(batch.inputs(), batch.count() * SIZE));
            }
        }
        return batches;
    }

    private static float[] concat(List<float[]> parts) {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
