package dev.cortado.cpu;

import dev.cortado.backend.BinaryOp;

/**
 * Sums over an axis and row-wise argmax. Sums add short blocks in float ({@link FloatLoops#sumOfRuns}'s lanes,
 * or one vectorized row of accumulators for column sums) and combine the blocks in double, so a sum over millions
 * of elements stays within about 1e-7 of the sum of their magnitudes, and the result does not depend on the
 * thread count.
 */
final class ReductionOps {
    /** Floats summed in float before the block total goes into a double. */
    private static final int BLOCK = 256;
    /** A long row is summed in pieces of this many floats, in parallel, and the pieces are added in order. */
    private static final int PIECE = 1 << 16;
    /** Columns summed side by side by one task (the width of its accumulator row). */
    private static final int TILE = 512;
    /** Rows added into the float accumulator row before it is folded into the double totals. */
    private static final int ROWS_PER_FOLD = 64;

    /** Per-thread accumulators for column sums, allocated once per thread. */
    private static final ThreadLocal<ColumnScratch> COLUMN_SCRATCH = ThreadLocal.withInitial(ColumnScratch::new);
    /** Per-caller partial sums of long rows, grown on demand and reused. */
    private static final ThreadLocal<double[]> PIECE_SUMS = ThreadLocal.withInitial(() -> new double[16]);

    private ReductionOps() {
    }

    private static final class ColumnScratch {
        final float[] block = new float[TILE];
        final double[] total = new double[TILE];
    }

    /**
     * {@code out[o*inner + i] = alpha * sum_l x[(o*length + l)*inner + i] + beta * out[o*inner + i]}; out is not
     * read when beta is 0.
     */
    static void sum(float[] x, int xo, int outer, int length, int inner, float alpha, float beta, float[] out,
                    int oo) {
        if (inner == 1) {
            rowSums(x, xo, outer, length, alpha, beta, out, oo);
        } else {
            columnSums(x, xo, outer, length, inner, alpha, beta, out, oo);
        }
    }

    private static void rowSums(float[] x, int xo, int rows, int length, float alpha, float beta, float[] out,
                                int oo) {
        if (length <= PIECE) {
            int grain = Math.max(1, ElementwiseOps.GRAIN / Math.max(1, length));
            Parallel.forRange(rows, grain, (from, to) -> {
                for (int r = from; r < to; r++) {
                    store(out, oo + r, alpha, sumRun(x, xo + r * length, length), beta);
                }
            });
            return;
        }
        int pieces = (length + PIECE - 1) / PIECE;
        int total = rows * pieces;
        double[] partial = pieceSums(total);
        Parallel.forRange(total, 1, (from, to) -> {
            for (int p = from; p < to; p++) {
                int row = p / pieces;
                int start = (p - row * pieces) * PIECE;
                partial[p] = sumRun(x, xo + row * length + start, Math.min(PIECE, length - start));
            }
        });
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int p = r * pieces; p < (r + 1) * pieces; p++) {
                s += partial[p];
            }
            store(out, oo + r, alpha, s, beta);
        }
    }

    private static double[] pieceSums(int count) {
        double[] sums = PIECE_SUMS.get();
        if (sums.length < count) {
            sums = new double[Math.max(count, 2 * sums.length)];
            PIECE_SUMS.set(sums);
        }
        return sums;
    }

    /**
     * The sum of {@code x[from, from+n)}: blocks in float ({@link FloatLoops#sumOfRuns}'s lanes, one run a block),
     * blocks added in double.
     */
    private static double sumRun(float[] x, int from, int n) {
        FloatLoops loops = FloatLoops.IN_USE;
        double total = 0;
        int end = from + n;
        for (int start = from; start < end; start += BLOCK) {
            total += loops.sumOfRuns(x, start, Math.min(BLOCK, end - start), 1, 0);
        }
        return total;
    }

    private static void store(float[] out, int index, float alpha, double sum, float beta) {
        float scaled = (float) (alpha * sum);
        out[index] = beta == 0f ? scaled : scaled + beta * out[index];
    }

    /** Sums with {@code inner > 1}: each task adds whole rows of a tile of columns, a contiguous loop per row. */
    private static void columnSums(float[] x, int xo, int outer, int length, int inner, float alpha, float beta,
                                   float[] out, int oo) {
        int tiles = (inner + TILE - 1) / TILE;
        long work = (long) Math.max(1, length) * Math.min(inner, TILE);
        int grain = (int) Math.max(1, ElementwiseOps.GRAIN / work);
        Parallel.forRange(outer * tiles, grain, (from, to) -> {
            ColumnScratch scratch = COLUMN_SCRATCH.get();
            for (int item = from; item < to; item++) {
                int o = item / tiles;
                int c0 = (item - o * tiles) * TILE;
                int width = Math.min(TILE, inner - c0);
                sumTile(x, xo + o * length * inner + c0, length, inner, width, scratch);
                int dst = oo + o * inner + c0;
                double[] total = scratch.total;
                for (int c = 0; c < width; c++) {
                    store(out, dst + c, alpha, total[c], beta);
                }
            }
        });
    }

    /** Leaves in {@code scratch.total[0, width)} the sums over {@code length} rows spaced {@code inner} apart. */
    private static void sumTile(float[] x, int start, int length, int inner, int width, ColumnScratch scratch) {
        float[] block = scratch.block;
        double[] total = scratch.total;
        for (int c = 0; c < width; c++) {
            total[c] = 0;
        }
        for (int l0 = 0; l0 < length; l0 += ROWS_PER_FOLD) {
            int l1 = Math.min(l0 + ROWS_PER_FOLD, length);
            System.arraycopy(x, start + l0 * inner, block, 0, width);
            for (int l = l0 + 1; l < l1; l++) {
                FloatLoops.IN_USE.zip(BinaryOp.ADD, block, 0, x, start + l * inner, block, 0, width);
            }
            for (int c = 0; c < width; c++) {
                total[c] += block[c];
            }
        }
    }

    /** {@code out[r]} = the index (as a float) of the first maximum of row r. */
    static void argmax(float[] x, int xo, int rows, int cols, float[] out, int oo) {
        int grain = Math.max(1, ElementwiseOps.GRAIN / cols);
        Parallel.forRange(rows, grain, (from, to) -> {
            for (int r = from; r < to; r++) {
                int row = xo + r * cols;
                float best = x[row];
                int index = 0;
                for (int c = 1; c < cols; c++) {
                    float v = x[row + c];
                    if (v > best) {
                        best = v;
                        index = c;
                    }
                }
                out[oo + r] = index;
            }
        });
    }
}
