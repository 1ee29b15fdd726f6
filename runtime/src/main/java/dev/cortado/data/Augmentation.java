package dev.cortado.data;

import dev.cortado.random.Philox;

/**
 * Random crops with padding and horizontal flips of images of shape (channels, height, width), the augmentation
 * of the usual CIFAR ResNet recipe ({@link #standard()}: padding 4, flips). What sample {@code index} becomes in
 * an epoch depends only on the run's seed, the epoch and the index, never on the thread or the order that reads
 * it, so every run, and every resumed run, sees the same augmented images.
 *
 * <p>The draws: the four words of {@code Philox.block(index, epoch, seed ^ }{@link #KEY_TWEAK}{@code )} (counter
 * {@code (lo(index), hi(index), lo(epoch), hi(epoch))}). The crop's offsets into the image padded with
 * {@code padding} zeros on every side are {@code dx = (w0 * (2 padding + 1)) >>> 32} and
 * {@code dy = (w1 * (2 padding + 1)) >>> 32} (words as unsigned 32-bit), the crop keeps the image's size, and it is
 * mirrored left to right when the top bit of {@code w2} is set. So output pixel {@code (y, x)} of channel
 * {@code c} is input pixel {@code (y + dy - padding, x' + dx - padding)}, where {@code x' = width - 1 - x} when
 * flipped and {@code x} otherwise, or 0 where that lies outside the image.
 *
 * @param padding the zeros added on every side before cropping, 0 or more (0: no crop)
 * @param horizontalFlip whether half of the images are mirrored
 */
public record Augmentation(int padding, boolean horizontalFlip) {
    /** "augment!" in ASCII: separates augmentation's numbers from those the same seed gives weights and shuffles. */
    public static final long KEY_TWEAK = 0x6175676D656E7421L;

    /**
     * @throws IllegalArgumentException for a negative padding, or one that does nothing with no flip either
     */
    public Augmentation {
        if (padding < 0 || padding > 1024) {
            throw new IllegalArgumentException("crop padding must be 0..1024 pixels, got " + padding);
        }
        if (padding == 0 && !horizontalFlip) {
            throw new IllegalArgumentException("an augmentation without crop padding and without flips changes nothing");
        }
    }

    /** Padding 4 and horizontal flips, as in He et al.'s CIFAR-10 ResNets. */
    public static Augmentation standard() {
        return new Augmentation(4, true);
    }

    /**
     * Writes the augmented image of sample {@code index} in {@code epoch}, whose values are {@code src[srcOffset..]},
     * to {@code dst[dstOffset..]}; {@code dims} are its (channels, height, width). Source and destination must not
     * overlap.
     *
     * @param seed the run's seed
     */
    public void apply(float[] src, int srcOffset, float[] dst, int dstOffset, int[] dims, long seed, long epoch,
                      int index) {
        int[] words = new int[4];
        Philox.block(index, epoch, seed ^ KEY_TWEAK, words);
        int span = 2 * padding + 1;
        int dx = (int) (((words[0] & 0xFFFFFFFFL) * span) >>> 32) - padding;
        int dy = (int) (((words[1] & 0xFFFFFFFFL) * span) >>> 32) - padding;
        boolean flip = horizontalFlip && words[2] < 0;
        int channels = dims[0];
        int height = dims[1];
        int width = dims[2];
        for (int c = 0; c < channels; c++) {
            int plane = c * height * width;
            for (int y = 0; y < height; y++) {
                int sy = y + dy;
                int out = dstOffset + plane + y * width;
                if (sy < 0 || sy >= height) {
                    java.util.Arrays.fill(dst, out, out + width, 0f);
                    continue;
                }
                int row = srcOffset + plane + sy * width;
                for (int x = 0; x < width; x++) {
                    int sx = (flip ? width - 1 - x : x) + dx;
                    dst[out + x] = sx >= 0 && sx < width ? src[row + sx] : 0f;
                }
            }
        }
    }

    /** For messages: {@code random crops with padding 4, horizontal flips}. */
    public String describe() {
        return (padding > 0 ? "random crops with padding " + padding : "no crops")
                + (horizontalFlip ? ", horizontal flips" : "");
    }
}
