package dev.cortado.cpu;

import dev.cortado.backend.DropoutSpec;
import dev.cortado.random.Philox;

/**
 * Inverted dropout with the mask of {@link DropoutSpec}: element i is kept when
 * {@code Philox.uniform(seed, stream, i) >= p}. One Philox block yields the draws of four consecutive elements,
 * so tasks own whole blocks and compute each block once. Forward and backward apply the same mask.
 */
final class DropoutOps {
    /** Philox blocks (four elements each) per task: a block costs about as much as 40 simple float ops. */
    private static final int GRAIN_BLOCKS = 1 << 11;

    private DropoutOps() {
    }

    /** {@code y[i] = keep(i) ? x[i] * scale : 0}. */
    static void apply(DropoutSpec spec, float[] x, int xo, float[] y, int yo, int n) {
        int blocks = (int) (((long) n + 3) >>> 2);
        Parallel.forRange(blocks, GRAIN_BLOCKS, (from, to) -> applyBlocks(spec, x, xo, y, yo, n, from, to));
    }

    private static void applyBlocks(DropoutSpec spec, float[] x, int xo, float[] y, int yo, int n, int firstBlock,
                                    int endBlock) {
        float p = spec.p();
        float scale = spec.scale();
        int[] words = new int[4];
        for (int block = firstBlock; block < endBlock; block++) {
            Philox.block(block, spec.stream(), spec.seed(), words);
            int base = block << 2;
            int count = Math.min(4, n - base);
            for (int w = 0; w < count; w++) {
                y[yo + base + w] = Philox.toUnitFloat(words[w]) >= p ? x[xo + base + w] * scale : 0f;
            }
        }
    }
}
