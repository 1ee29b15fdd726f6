package dev.cortado.data;

/** The order in which one epoch visits the samples of a dataset. */
public sealed interface SampleOrder permits SampleOrder.Sequential, SampleOrder.Shuffled {

    /** Samples in index order, for evaluation. */
    static SampleOrder sequential() {
        return new Sequential();
    }

    /** A permutation that depends only on {@code seed} and {@code epoch}: the same in every run and JVM. */
    static SampleOrder shuffled(long seed, long epoch) {
        return new Shuffled(seed, epoch);
    }

    /** The sample indices of one epoch in the order they are served: a permutation of {@code 0..count-1}. */
    int[] indices(int count);

    /** Index order: 0, 1, 2, ... */
    record Sequential() implements SampleOrder {
        @Override
        public int[] indices(int count) {
            int[] order = new int[count];
            for (int i = 0; i < count; i++) {
                order[i] = i;
            }
            return order;
        }
    }

    /**
     * A Fisher-Yates shuffle of {@code 0..count-1} driven by Philox 4x32-10, specified exactly so that any
     * implementation reproduces it: for {@code i} from {@code count-1} down to 1, swap elements {@code i} and
     * {@code j}, where {@code j} is the next draw below {@code i+1}. Words are drawn in order from the blocks
     * {@code Philox.block(lo(b), hi(b), lo(epoch), hi(epoch), lo(key), hi(key))}, {@code b = 0, 1, ...}, four
     * words per block, with {@code key = seed ^ }{@link #KEY_TWEAK} so that shuffling does not reuse the numbers
     * that the same seed gives weights and dropout. A draw below {@code bound} is Lemire's unbiased multiply:
     * {@code m = word * bound} as unsigned 64-bit, redrawn while {@code lo32(m) < 2^32 mod bound}, giving
     * {@code hi32(m)}.
     */
    record Shuffled(long seed, long epoch) implements SampleOrder {
        /** "shuffle!" in ASCII: separates the shuffling key from the seed's other uses. */
        public static final long KEY_TWEAK = 0x73687566666C6521L;

        @Override
        public int[] indices(int count) {
            int[] order = new Sequential().indices(count);
            ShuffleWords words = new ShuffleWords(seed ^ KEY_TWEAK, epoch);
            for (int i = count - 1; i > 0; i--) {
                int j = words.below(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            return order;
        }
    }
}
