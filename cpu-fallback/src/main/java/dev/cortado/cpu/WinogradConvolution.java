package dev.cortado.cpu;

import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
import dev.cortado.cpu.gemm.Sgemm;
import java.util.Arrays;

/**
 * "Same" 3x3 convolutions at stride 1 by Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, 2016): each
 * 2x2 block of the output (a tile) comes from the 4x4 block of the padded input around it, transformed
 * ({@code V = B^T d B}), multiplied element by element with the transformed kernels ({@code U = G g G^T}) and summed
 * over the input channels, then transformed back ({@code Y = A^T M A}). The sum over channels is sixteen products,
 * one per element of the 4x4 transforms, of 16 multiply-adds per tile and channel pair where the convolution takes
 * 36. The results differ from a direct convolution's in rounding only (the transforms' additions and halvings),
 * well inside the conformance tolerance. Each output still depends on its 3x3 window only (the zeros of the
 * transforms see to that), so a NaN or an infinity in the input reaches the outputs it reaches directly, though an
 * infinity may come out as NaN.
 *
 * <p>The layout keeps every step a run of unit stride over the tiles: the padded input of each channel is held as
 * its four phases (even or odd rows, even or odd columns), so that input {@code (r, s)} of every tile lies at a
 * fixed shift in phase {@code (r % 2, s % 2)}. Along an even side the phases have one more row (column) than the
 * output has tiles, whose tiles are computed and dropped ({@link Tiling#phaseRows}). The tiles of a few images
 * follow each other, so that each product is a {@link FloatLoops#convolveFour} over a few hundred tiles and the
 * transforms ({@link FloatLoops#winogradInput}, {@link FloatLoops#winogradOutput}) run along the tiles; rows move
 * into the phases and back out by whole vectors ({@link FloatLoops#splitPairs}, {@link FloatLoops#interleavePairs}).
 */
final class WinogradConvolution {
    /**
     * Tiles a chunk of images aims for: enough for the products' runs, few enough to stay in L2. Half as many where
     * a chunk's phases, transforms and products would not fit in L2 at this many (from 64 channels with a 1 MiB
     * L2): on two threads of an AMD EPYC with AVX-512, a forward pass and an input gradient took 0.88 to 0.94 times
     * as long at 64 channels of 7 x 7 (batch 64 and 128) and 0.93 to 0.96 at 128 of 14 x 14 (batch 32), alternated
     * in one process; 32 tiles were no faster than 64 there, and 64 were 1.01 to 1.1 times as slow as 128 at 32
     * channels of 14 x 14, whose chunks of 128 tiles take 0.7 MiB.
     */
    private static final int TARGET_TILES = 128;
    /** Floats that moving a row into the phases may write past its end: the most a vector holds. */
    private static final int VECTOR_ROOM = 16;
    /**
     * Fewest input channels: moving the images into phases and the tiles back out, and the transforms, cost per
     * channel what the products save per channel pair, which pays off only with many channels. Against the direct
     * convolution ({@link WideDirectConvolution}) at batch 64 on two threads with AVX-512: 16 channels of 28 x 28
     * (ResNet's first stage) 1.1 times its time, 32 of 14 x 14 0.78, 64 of 7 x 7 0.75 (with AVX2 0.85, 0.74 and
     * 0.64).
     */
    static final int MIN_CHANNELS = 32;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private WinogradConvolution() {
    }

    /**
     * Whether spec's forward pass is computed here: on hardware vectors ({@link FloatLoops#vectorized}), ungrouped,
     * a 3x3 kernel at stride 1 with padding 1 and no dilation, at least {@link #MIN_CHANNELS} input channels,
     * output channels in fours, and a chunk of images for every thread (a smaller batch shares each image's output
     * channels out directly).
     */
    static boolean serves(ConvSpec spec) {
        ConvGeometry g = spec.geometry();
        return FloatLoops.IN_USE.vectorized() && spec.groups() == 1 && g.kernelH() == 3 && g.kernelW() == 3
                && g.stride() == 1 && g.padding() == 1 && g.dilation() == 1 && g.channels() >= MIN_CHANNELS
                && spec.outChannels() % 4 == 0 && new Tiling(spec).chunks >= Parallel.threads();
    }

    /**
     * {@code y = conv(x, w)}, as {@link dev.cortado.backend.Backend#convolutionForward}, chunks of images shared
     * out.
     */
    static void forward(ConvSpec spec, float[] x, int xo, float[] w, int wo, float[] y, int yo) {
        Tiling tiling = new Tiling(spec);
        float[] u = SCRATCH.get().kernels(16 * spec.outChannels() * spec.geometry().channels());
        transformKernels(spec, w, wo, u);
        Parallel.forRange(tiling.chunks, 1, (from, to) -> {
            Scratch scratch = SCRATCH.get();
            for (int chunk = from; chunk < to; chunk++) {
                int first = chunk * tiling.images;
                int images = Math.min(tiling.images, tiling.batch - first);
                tiling.forward(x, xo, first, images, u, y, yo, scratch);
            }
        });
    }

    /**
     * The kernels transformed, {@code U = G g G^T} with {@code G = [[1, 0, 0], [1/2, 1/2, 1/2], [1/2, -1/2, 1/2],
     * [0, 0, 1]]}: element {@code e = 4*a + b} of output channel k and input channel c at {@code u[(e*K + k)*C + c]},
     * so that each element's kernels are the K x C weights of one product.
     */
    private static void transformKernels(ConvSpec spec, float[] w, int wo, float[] u) {
        int channels = spec.geometry().channels();
        int outChannels = spec.outChannels();
        float[] gg = new float[12];
        for (int k = 0; k < outChannels; k++) {
            for (int c = 0; c < channels; c++) {
                int g = wo + (k * channels + c) * 9;
                for (int j = 0; j < 3; j++) { // G g: 4 rows of the kernel's 3 columns
                    float g0 = w[g + j];
                    float g1 = w[g + 3 + j];
                    float g2 = w[g + 6 + j];
                    gg[j] = g0;
                    gg[3 + j] = (g0 + g1 + g2) * 0.5f;
                    gg[6 + j] = (g0 - g1 + g2) * 0.5f;
                    gg[9 + j] = g2;
                }
                for (int a = 0; a < 4; a++) { // (G g) G^T: each row's 3 values to 4
                    float r0 = gg[3 * a];
                    float r1 = gg[3 * a + 1];
                    float r2 = gg[3 * a + 2];
                    int at = ((4 * a) * outChannels + k) * channels + c;
                    int element = outChannels * channels;
                    u[at] = r0;
                    u[at + element] = (r0 + r1 + r2) * 0.5f;
                    u[at + 2 * element] = (r0 - r1 + r2) * 0.5f;
                    u[at + 3 * element] = r2;
                }
            }
        }
    }

    /** How the tiles of a convolution's images are laid out, and the steps over a chunk of images. */
    private static final class Tiling {
        final int batch;
        final int channels;
        final int outChannels;
        final int height;
        final int width;
        /** Tile rows and columns of the output (its 2x2 blocks, the last ones partly outside where it is odd). */
        final int tileRows;
        final int tileColumns;
        /**
         * Rows of an image's phases and floats from one phase row to the next: one more than the tiles, the padding
         * after the image, where the side is even. Where it is odd, that last phase row (column) holds only the
         * bottom (right) padding, zero as the top (left) padding that starts the next image (row), and the
         * outputs past the image, which are dropped: images (rows) then overlap by one phase row (column), and
         * every tile computed is kept.
         */
        final int phaseRows;
        final int phaseColumns;
        /** Tiles of one image, each phase plane's floats for it: the dropped ones included. */
        final int imageTiles;
        /** Images per chunk, and chunks. */
        final int images;
        final int chunks;
        /** Floats from one channel's (or element's) run of a chunk's tiles to the next: whole vectors, then slack. */
        final int run;
        final int[] channelRuns;

        Tiling(ConvSpec spec) {
            ConvGeometry g = spec.geometry();
            batch = g.batch();
            channels = g.channels();
            outChannels = spec.outChannels();
            height = g.height();
            width = g.width();
            tileRows = (height + 1) / 2;
            tileColumns = (width + 1) / 2;
            phaseRows = height % 2 == 1 ? tileRows : tileRows + 1;
            phaseColumns = width % 2 == 1 ? tileColumns : tileColumns + 1;
            imageTiles = phaseRows * phaseColumns;
            int fitting = imagesFor(TARGET_TILES);
            images = (long) Float.BYTES * chunkFloats(runFor(fitting)) <= Sgemm.l2Bytes() ? fitting
                    : imagesFor(TARGET_TILES / 2);
            chunks = (batch + images - 1) / images;
            run = runFor(images);
            channelRuns = new int[channels];
            for (int c = 0; c < channels; c++) {
                channelRuns[c] = c * run;
            }
        }

        /**
         * Images a chunk of about {@code tiles} tiles takes: one at least, and few enough that every thread gets two
         * chunks at least, as {@link Parallel} cuts ranges into parts for threads the OS slows down.
         */
        private int imagesFor(int tiles) {
            return Math.max(1, Math.min(tiles / imageTiles, batch / (2 * Parallel.threads())));
        }

        /**
         * The floats from one channel's (or element's) run to the next for chunks of {@code chunkImages}: their tiles
         * rounded up to whole 16-float vectors, the furthest shift a tile reads at, and the floats the last row's
         * whole vectors may write past it.
         */
        private int runFor(int chunkImages) {
            return computedTiles(chunkImages) + phaseColumns + 1 + VECTOR_ROOM;
        }

        /** A chunk's phases, transforms and products, {@code run} floats a channel or element each. */
        private long chunkFloats(int chunkRun) {
            return (4L * channels + 16L * channels + 16L * outChannels) * chunkRun;
        }

        /** Tiles computed per chunk: every tile of its images' phase planes, rounded up to whole vectors. */
        private int computedTiles(int chunkImages) {
            return (chunkImages * imageTiles + 15) / 16 * 16;
        }

        void forward(float[] x, int xo, int first, int chunkImages, float[] u, float[] y, int yo, Scratch s) {
            float[] phases = s.phases(4 * channels * run);
            float[] v = s.transformed(16 * channels * run);
            float[] m = s.products(16 * outChannels * run);
            float[] rows = s.rows(4 * run);
            fillPhases(x, xo, first, chunkImages, phases);
            int n = computedTiles(chunkImages);
            FloatLoops loops = FloatLoops.IN_USE;
            for (int c = 0; c < channels; c++) {
                loops.winogradInput(phases, 4 * c * run, run, phaseColumns, v, c * run, channels * run, n);
            }
            for (int e = 0; e < 16; e++) {
                for (int k = 0; k < outChannels; k += 4) {
                    loops.convolveFour(v, e * channels * run, channelRuns, channels, u,
                            (e * outChannels + k) * channels, m, (e * outChannels + k) * run, run, n);
                }
            }
            for (int k = 0; k < outChannels; k++) {
                loops.winogradOutput(m, k * run, outChannels * run, rows, 0, run, n);
                writeOutput(rows, first, chunkImages, k, y, yo);
            }
        }

        /**
         * The padded images' phases: phase {@code (a, b)} of channel c holds padded pixel {@code (2i + a, 2j + b)}
         * at {@code (4c + 2a + b)*run + image*imageTiles + i*phaseColumns + j}, and the phase row after the chunk's
         * last image is zero (its padding, where the height is odd). Each input row is split into its even and odd
         * floats by whole vectors, which may write a few floats past a phase row's end; those land in later rows,
         * which are written after, or in the padding, which is zeroed last.
         */
        private void fillPhases(float[] x, int xo, int first, int chunkImages, float[] phases) {
            FloatLoops loops = FloatLoops.IN_USE;
            int plane = height * width;
            for (int c = 0; c < channels; c++) {
                for (int image = 0; image < chunkImages; image++) {
                    int src = xo + ((first + image) * channels + c) * plane;
                    for (int row = 0; row < height; row++) {
                        // padded row row + 1: phase row parity a, phase row i
                        int a = (row + 1) & 1;
                        int i = (row + 1) >> 1;
                        int odd = (4 * c + 2 * a + 1) * run + image * imageTiles + i * phaseColumns;
                        int even = odd - run;
                        // padded column col + 1: the even input columns go to the odd phase, the odd ones to the
                        // even phase, one column on
                        loops.splitPairs(x, src + row * width, width, phases, odd, phases, even + 1, VECTOR_ROOM);
                    }
                }
                zeroPadding(phases, c, chunkImages);
            }
        }

        /**
         * Zeroes channel c's padding in the phases of a chunk's images: each image's first phase row of even rows
         * (and, where the height is even, its last one of odd rows: the row below the image), the first column of
         * even columns (and, where the width is even, the last one of odd columns), and everything after the last
         * image, which the last tiles read where a side is odd.
         */
        private void zeroPadding(float[] phases, int c, int chunkImages) {
            int evenRows = 4 * c * run;
            int oddRows = evenRows + 2 * run;
            for (int plane = evenRows; plane < evenRows + 4 * run; plane += run) {
                Arrays.fill(phases, plane + chunkImages * imageTiles, plane + run, 0f);
            }
            for (int image = 0; image < chunkImages; image++) {
                int at = image * imageTiles;
                Arrays.fill(phases, evenRows + at, evenRows + at + phaseColumns, 0f);
                Arrays.fill(phases, evenRows + run + at, evenRows + run + at + phaseColumns, 0f);
                if (height % 2 == 0) {
                    int last = at + (phaseRows - 1) * phaseColumns;
                    Arrays.fill(phases, oddRows + last, oddRows + last + phaseColumns, 0f);
                    Arrays.fill(phases, oddRows + run + last, oddRows + run + last + phaseColumns, 0f);
                }
                for (int i = 0; i < phaseRows; i++) {
                    int rowStart = at + i * phaseColumns;
                    phases[evenRows + rowStart] = 0f;
                    phases[oddRows + rowStart] = 0f;
                    if (width % 2 == 0) {
                        phases[evenRows + run + rowStart + phaseColumns - 1] = 0f;
                        phases[oddRows + run + rowStart + phaseColumns - 1] = 0f;
                    }
                }
            }
        }

        /**
         * Output channel k's tiles (rows[(2a + b)*run + tile]) into y, dropping the extra and outside ones: each
         * output row interleaves its tiles' left and right outputs by whole vectors, which may write into the
         * rows below, written after.
         */
        private void writeOutput(float[] rows, int first, int chunkImages, int k, float[] y, int yo) {
            FloatLoops loops = FloatLoops.IN_USE;
            int plane = height * width;
            for (int image = 0; image < chunkImages; image++) {
                int out = yo + ((first + image) * outChannels + k) * plane;
                for (int row = 0; row < height; row++) {
                    int left = 2 * (row & 1) * run + image * imageTiles + (row >> 1) * phaseColumns;
                    loops.interleavePairs(rows, left, rows, left + run, y, out + row * width, width,
                            (height - 1 - row) * width);
                }
            }
        }
    }

    /**
     * One thread's arrays, grown on demand and kept for the thread's life; the transformed kernels are the calling
     * thread's, which every thread reads.
     */
    private static final class Scratch {
        private float[] kernels = new float[0];
        private float[] phases = new float[0];
        private float[] transformed = new float[0];
        private float[] products = new float[0];
        private float[] rows = new float[0];

        float[] kernels(int size) {
            kernels = atLeast(kernels, size);
            return kernels;
        }

        float[] phases(int size) {
            phases = atLeast(phases, size);
            return phases;
        }

        float[] transformed(int size) {
            transformed = atLeast(transformed, size);
            return transformed;
        }

        float[] products(int size) {
            products = atLeast(products, size);
            return products;
        }

        float[] rows(int size) {
            rows = atLeast(rows, size);
            return rows;
        }

        private static float[] atLeast(float[] array, int size) {
            return array.length >= size ? array : new float[size];
        }
    }
}
