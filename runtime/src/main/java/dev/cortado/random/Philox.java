package dev.cortado.random;

/**
 * Philox 4x32-10, the counter-based generator of Salmon et al. (Random123), implemented identically here and in
 * the device kernels, so that a seed gives the same numbers on every device and any element can be drawn
 * without drawing the ones before it.
 *
 * <p>Element {@code i} of stream {@code s} under seed {@code k} is word {@code i mod 4} of
 * {@code philox(counter = (lo(i/4), hi(i/4), lo(s), hi(s)), key = (lo(k), hi(k)))}, mapped to a float in [0, 1)
 * from its top 24 bits.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final int ROUNDS = 10;
    private static final float TWO_POW_MINUS_24 = 0x1.0p-24f;

    private Philox() {
    }

    /**
     * Block {@code blockIndex} of stream {@code stream} under {@code key}: the counter is (block index, stream) as
     * four 32-bit words, low words first, and the key is split the same way.
     */
    public static void block(long blockIndex, long stream, long key, int[] out) {
        block((int) blockIndex, (int) (blockIndex >>> 32), (int) stream, (int) (stream >>> 32), (int) key,
                (int) (key >>> 32), out);
    }

    /** The raw Philox 4x32-10 block for a 128-bit counter and a 64-bit key; {@code out} gets 4 words. */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int round = 0; round < ROUNDS; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c0 = n0;
            c1 = (int) p1;
            c2 = n2;
            c3 = (int) p0;
            k0 += W0;
            k1 += W1;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /** Maps a 32-bit word to a float in [0, 1) using its top 24 bits. */
    public static float toUnitFloat(int word) {
        return (word >>> 8) * TWO_POW_MINUS_24;
    }

    /** Element {@code index} of stream {@code stream} under {@code seed}, uniform in [0, 1). */
    public static float uniform(long seed, long stream, long index) {
        int[] words = new int[4];
        block(index >>> 2, stream, seed, words);
        return toUnitFloat(words[(int) (index & 3)]);
    }

    /**
     * Fills {@code dst} with elements {@code 0..dst.length-1} of the stream, scaled to [low, high): the same
     * numbers as {@link #uniform} element by element, drawn four at a time.
     */
    public static void fillUniform(float[] dst, long seed, long stream, float low, float high) {
        int[] words = new int[4];
        float range = high - low;
        for (int base = 0; base < dst.length; base += 4) {
            block(base >>> 2, stream, seed, words);
            for (int w = 0; w < 4 && base + w < dst.length; w++) {
                dst[base + w] = low + range * toUnitFloat(words[w]);
            }
        }
    }
}
