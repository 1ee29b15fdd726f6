package dev.cortado.data;

import dev.cortado.random.Philox;

/** The stream of 32-bit Philox words that drives one shuffle; see {@link SampleOrder.Shuffled} for the rules. */
final class ShuffleWords {
    private static final long MASK = 0xFFFFFFFFL;
    private final long key;
    private final long stream;
    private final int[] block = new int[4];
    private long nextBlock;
    private int used = block.length;

    ShuffleWords(long key, long stream) {
        this.key = key;
        this.stream = stream;
    }

    /** The next word: word {@code i mod 4} of block {@code i / 4}. */
    int next() {
        if (used == block.length) {
            Philox.block(nextBlock, stream, key, block);
            nextBlock++;
            used = 0;
        }
        return block[used++];
    }

    /** A uniform draw from {@code [0, bound)}, {@code bound >= 1}, by Lemire's multiply-and-reject. */
    int below(int bound) {
        long m = (next() & MASK) * bound;
        if ((m & MASK) < bound) {
            long threshold = ((1L << 32) - bound) % bound;
            while ((m & MASK) < threshold) {
                m = (next() & MASK) * bound;
            }
        }
        return (int) (m >>> 32);
    }
}
