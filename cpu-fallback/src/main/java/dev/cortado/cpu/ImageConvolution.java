package dev.cortado.cpu;

import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
import dev.cortado.backend.GemmSpec;
import dev.cortado.cpu.gemm.Sgemm;

/**
 * Convolution a few images at a time. Each thread unfolds a chunk of images into a column matrix of its own,
 * sized to stay in the core's L2 cache, and multiplies it while it is there: the batch's column matrix (many
 * times larger) is never written to memory and read back. A chunk is one image where an image's output plane is
 * wide enough for the GEMM to run at speed (its product then comes out as the image's block of the NCHW output,
 * with no transpose), and a few images where the planes are small (7x7, 14x14), whose products would otherwise be
 * too narrow for the GEMM's register tile and would pack the weight once per image.
 *
 * <p>The chunks are shared between the threads, each product running on its thread alone; a batch of one chunk
 * takes the products and the unfolding on every thread instead ({@link Parallel} runs a range started inside
 * another on its caller, and one started alone on every thread). The weight gradient sums over the images: a
 * fixed number of parts, chosen from the batch and the thread count only, each add their chunks into a partial
 * gradient of their own, and the partials are added in order, so the result is the same whichever thread took
 * which part.
 */
final class ImageConvolution {
    /**
     * Columns a chunk's products aim for: a dozen of the 512-bit kernel's 32-column strips, so that partial strips
     * and packing the weight stay small beside the arithmetic.
     */
    private static final int TARGET_COLUMNS = 512;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private ImageConvolution() {
    }

    /**
     * {@code y = conv(x, w)}, as {@link dev.cortado.backend.Backend#convolutionForward}: with the output channels
     * in a vector's lanes ({@link LaneConvolution}), directly ({@link DirectConvolution}), by Winograd's transforms
     * ({@link WinogradConvolution}), with images in a vector's lanes ({@link ImageLaneConvolution}), directly on wide
     * rows ({@link WideDirectConvolution}) or on {@link WideRows} where they serve the convolution, else on its column
     * matrix.
     */
    static void forward(ConvSpec spec, float[] x, int xo, float[] w, int wo, float[] y, int yo) {
        if (LaneConvolution.servesForward(spec)) {
            LaneConvolution.forward(spec, x, xo, w, wo, y, yo);
            return;
        }
        if (DirectConvolution.serves(spec)) {
            DirectConvolution.forward(spec, x, xo, w, wo, y, yo);
            return;
        }
        if (WinogradConvolution.serves(spec)) {
            WinogradConvolution.forward(spec, x, xo, w, wo, y, yo);
            return;
        }
        if (ImageLaneConvolution.servesForward(spec)) {
            ImageLaneConvolution.forward(spec, x, xo, w, wo, y, yo);
            return;
        }
        if (WideDirectConvolution.serves(spec)) {
            WideDirectConvolution.forward(spec, x, xo, w, wo, y, yo);
            return;
        }
        if (WideRows.served(spec.geometry())) {
            wideRowsForward(spec, x, xo, w, wo, y, yo);
            return;
        }
        Chunks chunks = new Chunks(spec);
        StridePhases phases = StridePhases.serves(spec.geometry()) ? new StridePhases(spec.geometry()) : null;
        Parallel.forRange(chunks.count, 1, (from, to) -> {
            Scratch scratch = SCRATCH.get();
            for (int chunk = from; chunk < to; chunk++) {
                int n0 = chunks.first(chunk);
                ConvSpec part = chunks.spec(chunk);
                float[] col = scratch.columns(chunks.columnFloats(part));
                unfold(part.geometry(), phases, x, xo + n0 * chunks.imageSize, scratch, col);
                int columns = part.geometry().batch() * chunks.plane;
                if (part.geometry().batch() == 1) {
                    Sgemm.compute(part.forwardProduct(columns), w, wo, col, 0, y, yo + n0 * chunks.outputSize);
                } else {
                    float[] byChannel = scratch.channelMajor(spec.outChannels() * columns);
                    Sgemm.compute(part.forwardProduct(columns), w, wo, col, 0, byChannel, 0);
                    ConvolutionOps.swapLeadingAxes(spec.outChannels(), part.geometry().batch(), chunks.plane,
                            byChannel, 0, y, yo + n0 * chunks.outputSize);
                }
            }
        });
    }

    /** A chunk's column matrix: from the images' stride phases where they serve (not null), else by im2col. */
    private static void unfold(ConvGeometry chunk, StridePhases phases, float[] x, int xo, Scratch scratch,
                               float[] col) {
        if (phases != null) {
            phases.unfold(x, xo, chunk.batch(), scratch.imageCopy(phases.imageFloats()), col);
        } else {
            ConvolutionOps.im2col(chunk, x, xo, col, 0);
        }
    }

    /** {@link #forward} on {@link WideRows}, a chunk of images at a time. */
    private static void wideRowsForward(ConvSpec spec, float[] x, int xo, float[] w, int wo, float[] y, int yo) {
        ConvGeometry g = spec.geometry();
        Chunks chunks = new Chunks(spec, WideRows.imageFloats(g), WideRows.imageColumns(g));
        WideRows whole = new WideRows(g, chunks.per);
        WideRows last = new WideRows(g, chunks.lastImages());
        Parallel.forRange(chunks.count, 1, (from, to) -> {
            Scratch scratch = SCRATCH.get();
            for (int chunk = from; chunk < to; chunk++) {
                WideRows rows = chunk == chunks.count - 1 ? last : whole;
                float[] col = scratch.columns(g.columnRows() * rows.columns());
                float[] padded = scratch.imageCopy(rows.paddedFloats());
                rows.unfold(x, xo + chunks.first(chunk) * chunks.imageSize, padded, col);
                float[] product = scratch.channelMajor(spec.outChannels() * rows.columns());
                Sgemm.compute(spec.forwardProduct(rows.columns()), w, wo, col, 0, product, 0);
                rows.extract(product, spec.outChannels(), y, yo + chunks.first(chunk) * chunks.outputSize);
            }
        });
    }

    /**
     * {@code dw += dL/dw}, as {@link dev.cortado.backend.Backend#convolutionBackwardWeight}: with images in a
     * vector's lanes ({@link ImageLaneConvolution}), with the output channels in a vector's lanes
     * ({@link LaneConvolution}), directly ({@link DirectConvolution}, {@link WideDirectConvolution}) or from
     * {@link PixelColumns} where they serve the convolution, else from column matrices.
     */
    static void backwardWeight(ConvSpec spec, float[] x, int xo, float[] dy, int dyo, float[] dw, int dwo) {
        if (ImageLaneConvolution.servesWeightGradient(spec)) {
            ImageLaneConvolution.backwardWeight(spec, x, xo, dy, dyo, dw, dwo);
            return;
        }
        if (LaneConvolution.servesWeightGradient(spec)) {
            LaneConvolution.backwardWeight(spec, x, xo, dy, dyo, dw, dwo);
            return;
        }
        if (DirectConvolution.serves(spec)) {
            DirectConvolution.backwardWeight(spec, x, xo, dy, dyo, dw, dwo);
            return;
        }
        if (WideDirectConvolution.servesWeightGradient(spec)) {
            WideDirectConvolution.backwardWeight(spec, x, xo, dy, dyo, dw, dwo);
            return;
        }
        ConvGeometry g = spec.geometry();
        boolean pixelRows = PixelColumns.serves(spec);
        Chunks chunks = new Chunks(spec);
        StridePhases phases = !pixelRows && StridePhases.serves(g) ? new StridePhases(g) : null;
        int weightSize = (int) spec.weightSize();
        // four parts per thread, as Parallel cuts a range, so that a thread the OS slows down is evened out
        int parts = Math.min(chunks.count, 4 * Parallel.threads());
        float[] partials = SCRATCH.get().partials(parts * weightSize);
        Parallel.forRange(parts, 1, (from, to) -> {
            Scratch scratch = SCRATCH.get();
            for (int p = from; p < to; p++) {
                int firstChunk = (int) ((long) chunks.count * p / parts);
                int endChunk = (int) ((long) chunks.count * (p + 1) / parts);
                for (int chunk = firstChunk; chunk < endChunk; chunk++) {
                    int n0 = chunks.first(chunk);
                    ConvSpec part = chunks.spec(chunk);
                    float[] col = scratch.columns(chunks.columnFloats(part));
                    int columns = part.geometry().batch() * chunks.plane;
                    if (pixelRows) {
                        float[] channelsLast = scratch.imageCopy(chunks.imageSize);
                        PixelColumns.unfold(g, x, xo + n0 * chunks.imageSize, part.geometry().batch(), channelsLast,
                                col);
                    } else {
                        unfold(part.geometry(), phases, x, xo + n0 * chunks.imageSize, scratch, col);
                    }
                    Floats grad = channelsFirst(spec, chunks, part, n0, dy, dyo, scratch);
                    float beta = chunk == firstChunk ? 0f : 1f;
                    GemmSpec product = pixelRows
                            ? GemmSpec.of(false, false, spec.outChannels(), g.columnRows(), columns)
                            : part.weightGradientProduct(columns);
                    Sgemm.compute(product.scaled(1f, beta), grad.array(), grad.offset(), col, 0, partials,
                            p * weightSize);
                }
            }
        });
        sumParts(partials, parts, weightSize);
        if (pixelRows) {
            PixelColumns.addToWeightGradient(g, spec.outChannels(), partials, dw, dwo);
        } else {
            for (int i = 0; i < weightSize; i++) {
                dw[dwo + i] += partials[i];
            }
        }
    }

    /** Floats from {@code array[offset]} on. */
    private record Floats(float[] array, int offset) {
    }

    /**
     * The dy of a chunk's images (from image n0 on) with the output channels leading, as the column-matrix products
     * take it: dy itself for a chunk of one image, else the images' planes of each channel gathered into scratch.
     */
    private static Floats channelsFirst(ConvSpec spec, Chunks chunks, ConvSpec part, int n0, float[] dy, int dyo,
                                        Scratch scratch) {
        int images = part.geometry().batch();
        int offset = dyo + n0 * chunks.outputSize;
        if (images == 1) {
            return new Floats(dy, offset);
        }
        float[] swapped = scratch.channelMajor(spec.outChannels() * images * chunks.plane);
        ConvolutionOps.swapLeadingAxes(images, spec.outChannels(), chunks.plane, dy, offset, swapped, 0);
        return new Floats(swapped, 0);
    }

    /** {@code partials[i] = sum of partials[p*size + i]} over the parts p, in order, for {@code i < size}. */
    static void sumParts(float[] partials, int parts, int size) {
        for (int i = 0; i < size; i++) {
            float sum = 0f;
            for (int p = 0; p < parts; p++) {
                sum += partials[p * size + i];
            }
            partials[i] = sum;
        }
    }

    /**
     * {@code dx = dL/dx}, as {@link dev.cortado.backend.Backend#convolutionBackwardInput}: at stride 1 the forward
     * convolution of dy with the kernels flipped and the channels swapped ({@link #asTransposedForward}), which
     * multiplies over {@code outC*kH*kW} instead of {@code outC} and never folds a column matrix back; with rows of
     * dx in vectors where they fit ({@link RowInputGradient}); otherwise the column matrix's gradient, folded back
     * through its {@link StridePhases} where they serve, else by col2im.
     */
    static void backwardInput(ConvSpec spec, float[] w, int wo, float[] dy, int dyo, float[] dx, int dxo) {
        ConvSpec transposed = asTransposedForward(spec);
        if (transposed != null) {
            float[] flipped = SCRATCH.get().flipped((int) spec.weightSize());
            flipKernels(spec, w, wo, flipped);
            forward(transposed, dy, dyo, flipped, 0, dx, dxo);
            return;
        }
        if (RowInputGradient.serves(spec)) {
            RowInputGradient.backwardInput(spec, w, wo, dy, dyo, dx, dxo);
            return;
        }
        Chunks chunks = new Chunks(spec);
        StridePhases phases = StridePhases.serves(spec.geometry()) ? new StridePhases(spec.geometry()) : null;
        Parallel.forRange(chunks.count, 1, (from, to) -> {
            Scratch scratch = SCRATCH.get();
            for (int chunk = from; chunk < to; chunk++) {
                int n0 = chunks.first(chunk);
                ConvSpec part = chunks.spec(chunk);
                int columns = part.geometry().batch() * chunks.plane;
                Floats grad = channelsFirst(spec, chunks, part, n0, dy, dyo, scratch);
                float[] dcol = scratch.columns(chunks.columnFloats(part));
                Sgemm.compute(part.columnGradientProduct(columns), w, wo, grad.array(), grad.offset(), dcol, 0);
                int image = dxo + n0 * chunks.imageSize;
                if (phases != null) {
                    phases.fold(dcol, part.geometry().batch(), scratch.imageCopy(phases.imageFloats()), dx, image);
                } else {
                    ConvolutionOps.col2im(part.geometry(), dcol, 0, dx, image);
                }
            }
        });
    }

    /**
     * The forward convolution that gives a stride-1 convolution's input gradient from its output gradient:
     * {@code dx[c][y][x] = sum w[o][c][i][j] * dy[o][y + p - i*d][x + p - j*d]} is a convolution of dy, padded by
     * {@code d*(k-1) - p}, with {@code w'[c][o][k-1-i][k-1-j] = w[o][c][i][j]}. Null where that needs a negative
     * or, for a non-square kernel, a different padding on each axis, and where dy's column matrix would be larger
     * than the column gradient it replaces, as for an unpadded convolution with few input channels (LeNet-5's
     * second, whose dy unfolded is five times its column gradient).
     */
    private static ConvSpec asTransposedForward(ConvSpec spec) {
        ConvGeometry g = spec.geometry();
        int padding = g.dilation() * (g.kernelH() - 1) - g.padding();
        if (g.stride() != 1 || g.kernelH() != g.kernelW() || padding < 0
                || (long) spec.outChannels() * g.height() * g.width() > (long) g.channels() * spec.outPlane()) {
            return null;
        }
        return new ConvSpec(new ConvGeometry(g.batch(), spec.outChannels(), g.outHeight(),
                g.outWidth(), g.kernelH(), g.kernelW(), 1, padding, g.dilation()), g.channels(), spec.groups());
    }

    /** {@code flipped[c][o][k-1-i][k-1-j] = w[o][c][i][j]}, within each group, for {@link #asTransposedForward}. */
    private static void flipKernels(ConvSpec spec, float[] w, int wo, float[] flipped) {
        ConvGeometry g = spec.geometry();
        int kernel = g.kernelH() * g.kernelW();
        int groupIn = g.channels() / spec.groups();
        int groupOut = spec.groupOutChannels();
        for (int o = 0; o < spec.outChannels(); o++) {
            int group = o / groupOut;
            for (int ci = 0; ci < groupIn; ci++) {
                int src = wo + (o * groupIn + ci) * kernel;
                int dst = ((group * groupIn + ci) * groupOut + o % groupOut) * kernel;
                for (int t = 0; t < kernel; t++) {
                    flipped[dst + kernel - 1 - t] = w[src + t];
                }
            }
        }
    }

    /**
     * How a batch is cut into chunks of consecutive images: all of {@code per} images but the last. The chunks'
     * convolutions (two at most: a whole chunk and a shorter last one) are made once per op, not once per chunk.
     */
    private static final class Chunks {
        final int plane;
        final int imageSize;
        final int outputSize;
        final int per;
        final int count;
        private final int batch;
        private final ConvSpec whole;
        private final ConvSpec last;

        /** Chunks whose column matrices ({@code columnRows x outPlane} floats an image) fill half of L2 at most. */
        Chunks(ConvSpec spec) {
            this(spec, (long) spec.geometry().columnRows() * spec.outPlane(), spec.outPlane());
        }

        /**
         * Chunks whose working set, {@code imageFloats} an image, fills half of L2 at most, and whose products are
         * {@code imageColumns} wide an image.
         */
        Chunks(ConvSpec spec, long imageFloats, int imageColumns) {
            batch = spec.geometry().batch();
            plane = spec.outPlane();
            imageSize = (int) (spec.geometry().imageSize() / batch);
            outputSize = (int) (spec.outputSize() / batch);
            long cacheFloats = Sgemm.l2Bytes() / 2 / Float.BYTES;
            int wideEnough = (TARGET_COLUMNS + imageColumns - 1) / imageColumns;
            int fitsInCache = (int) Math.max(1, Math.min(Integer.MAX_VALUE, cacheFloats / imageFloats));
            int keepsEveryThreadBusy = Math.max(1, batch / Parallel.threads());
            // then fewer images a chunk where that gives every thread as many chunks: LeNet-5's second
            // convolution cut its batch of 64 into 11 chunks of 6, and its input gradient took 5% longer than in
            // 16 chunks of 4 on 2 threads
            int fewer = Math.min(Math.min(wideEnough, fitsInCache), keepsEveryThreadBusy);
            while (fewer > 1 && ((batch + fewer - 1) / fewer) % Parallel.threads() != 0) {
                fewer--;
            }
            per = fewer;
            count = (batch + per - 1) / per;
            whole = spec.ofImages(per);
            last = batch % per == 0 ? whole : spec.ofImages(batch % per);
        }

        /** Images of the last chunk. */
        int lastImages() {
            return batch - (count - 1) * per;
        }

        /** The convolution of chunk's images. */
        ConvSpec spec(int chunk) {
            return chunk == count - 1 ? last : whole;
        }

        int first(int chunk) {
            return chunk * per;
        }

        int columnFloats(ConvSpec part) {
            return part.geometry().columnRows() * part.geometry().batch() * plane;
        }
    }

    /**
     * One thread's arrays, grown on demand and kept for the thread's life: a chunk's column matrix (its gradient,
     * or its pixel rows), an image rearranged (channels last, or in stride phases) or a chunk's padded copy, a
     * chunk's output or output gradient channel by channel, and, for the thread that calls, the weight gradient's
     * partial sums and the flipped kernels of the input gradient.
     */
    private static final class Scratch {
        private float[] columns = new float[0];
        private float[] channelMajor = new float[0];
        private float[] partials = new float[0];
        private float[] flipped = new float[0];
        private float[] imageCopy = new float[0];

        float[] columns(int size) {
            columns = atLeast(columns, size);
            return columns;
        }

        float[] channelMajor(int size) {
            channelMajor = atLeast(channelMajor, size);
            return channelMajor;
        }

        float[] imageCopy(int size) {
            imageCopy = atLeast(imageCopy, size);
            return imageCopy;
        }

        float[] flipped(int size) {
            flipped = atLeast(flipped, size);
            return flipped;
        }

        float[] partials(int size) {
            partials = atLeast(partials, size);
            return partials;
        }

        private static float[] atLeast(float[] array, int size) {
            return array.length >= size ? array : new float[size];
        }
    }
}
