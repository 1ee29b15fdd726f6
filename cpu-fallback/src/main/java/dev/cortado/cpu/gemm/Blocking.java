package dev.cortado.cpu.gemm;

/**
 * How GEMM cuts a product into blocks that stay in the caches, sized from the machine's {@link CacheSizes} and
 * the kernel's register tile rather than fixed for one CPU. On the machine the blocking was first tuned on (a
 * 32 KiB L1d, a 1 MiB L2 per core, 32 MiB of L3) the rules give the sizes tuned there by hand.
 *
 * <p>The depths ({@link #kc}, {@link #dotDepth}) decide how a long dot product is split into partial sums, so
 * they decide the rounding: results are the same on every run of one machine (and thread count), not across
 * machines with other caches.
 *
 * @param kc steps of k per packed block: a sliver of A ({@code mr x kc}) fills at most a quarter of L1, where it
 *     stays while strips of B stream past it
 * @param mc rows of A packed at once: their slivers ({@code mc x kc}) fill an eighth of L2
 * @param nc columns of B packed at once by one thread ({@code kc x nc} floats, an eighth of L3)
 * @param bandFloats floats of packed B one pass over the A slivers works on: a quarter of L2
 * @param sharedBFloats floats of B packed at once for all threads: half of L3
 * @param dotDepth floats of k per pass of a {@link DotProduct}: its block's rows fill L1 at most
 * @param dotBand rows of B per band of a {@link DotProduct}: a band ({@code dotBand x dotDepth}) fills a quarter
 *     of L2
 */
record Blocking(int kc, int mc, int nc, int bandFloats, int sharedBFloats, int dotDepth, int dotBand) {
    private static final int FLOAT_BYTES = Float.BYTES;
    private static final int MAX_KC = 512;

    /** The blocking for this kernel on caches of these sizes. */
    static Blocking of(MicroKernel kernel, CacheSizes caches) {
        int kc = Math.min(MAX_KC, floorPowerOfTwo(caches.l1() / 4 / FLOAT_BYTES / kernel.mr()));
        int mc = Math.max(kernel.mr(), (int) (caches.l2() / 8 / FLOAT_BYTES / kc) / kernel.mr() * kernel.mr());
        int nc = Math.max(kernel.nr(), (int) (caches.l3() / 8 / FLOAT_BYTES / kc) / kernel.nr() * kernel.nr());
        int band = (int) (caches.l2() / 4 / FLOAT_BYTES);
        int shared = (int) (caches.l3() / 2 / FLOAT_BYTES);
        int dotDepth = floorPowerOfTwo(caches.l1() / FLOAT_BYTES / (kernel.dotRows() + kernel.dotCols()));
        int dotBand = Math.max(kernel.dotCols(), band / dotDepth);
        return new Blocking(kc, mc, nc, band, shared, dotDepth, dotBand);
    }

    private static int floorPowerOfTwo(long x) {
        return Integer.highestOneBit((int) Math.max(1, Math.min(x, 1 << 30)));
    }

    /** For device listings. */
    String describe() {
        return "blocks kc " + kc + ", mc " + mc + ", nc " + nc + "; dot products " + dotDepth + " deep";
    }
}
