package dev.cortado.cpu;

import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
import dev.cortado.backend.GemmSpec;
import dev.cortado.cpu.gemm.Sgemm;

/**
 * Convolution an image at a time. Each thread unfolds one image into a column matrix of its own
 * ({@code columnRows x outH*outW}, a few hundred KiB for the layers of a small CNN, so it stays in the core's L2)
 * and multiplies it while it is there: the batch's column matrix ({@code N} times larger) is never written to
 * memory and read back, and one image's product comes out as its {@code (outC, outH*outW)} block of the NCHW
 * output, with no transpose after.
 *
 * <p>The images are shared between the threads, each product running on its thread alone; a single image takes
 * the products and the unfolding on every thread instead ({@link Parallel} runs a range started inside another
 * on its caller, and one started alone on every thread). The weight gradient sums over the images: a fixed
 * number of parts, chosen from the batch and the thread count only, each add their images into a partial
 * gradient of their own, and the partials are added in order, so the result is the same whichever thread took
 * which part.
 */
final class ImageConvolution {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private ImageConvolution() {
    }

    /** {@code y = conv(x, w)}, as {@link dev.cortado.backend.Backend#convolutionForward}. */
    static void forward(ConvSpec spec, float[] x, int xo, float[] w, int wo, float[] y, int yo) {
        ConvSpec one = spec.oneImage();
        ConvGeometry g = one.geometry();
        int plane = one.outPlane();
        int imageSize = (int) g.imageSize();
        int outSize = (int) one.outputSize();
        GemmSpec product = one.forwardProduct(plane);
        Parallel.forRange(spec.geometry().batch(), 1, (from, to) -> {
            float[] col = SCRATCH.get().columns(g.columnRows() * plane);
            for (int n = from; n < to; n++) {
                ConvolutionOps.im2col(g, x, xo + n * imageSize, col, 0);
                Sgemm.compute(product, w, wo, col, 0, y, yo + n * outSize);
            }
        });
    }

    /** {@code dw += dL/dw}, as {@link dev.cortado.backend.Backend#convolutionBackwardWeight}. */
    static void backwardWeight(ConvSpec spec, float[] x, int xo, float[] dy, int dyo, float[] dw, int dwo) {
        ConvSpec one = spec.oneImage();
        ConvGeometry g = one.geometry();
        int plane = one.outPlane();
        int imageSize = (int) g.imageSize();
        int outSize = (int) one.outputSize();
        int weightSize = (int) spec.weightSize();
        int batch = spec.geometry().batch();
        // four parts per thread, as Parallel cuts a range, so that a thread the OS slows down is evened out
        int parts = Math.min(batch, 4 * Parallel.threads());
        float[] partials = SCRATCH.get().partials(parts * weightSize);
        GemmSpec first = one.weightGradientProduct(plane).scaled(1f, 0f);
        GemmSpec next = one.weightGradientProduct(plane);
        Parallel.forRange(parts, 1, (from, to) -> {
            float[] col = SCRATCH.get().columns(g.columnRows() * plane);
            for (int part = from; part < to; part++) {
                int n0 = (int) ((long) batch * part / parts);
                int n1 = (int) ((long) batch * (part + 1) / parts);
                for (int n = n0; n < n1; n++) {
                    ConvolutionOps.im2col(g, x, xo + n * imageSize, col, 0);
                    Sgemm.compute(n == n0 ? first : next, dy, dyo + n * outSize, col, 0, partials,
                            part * weightSize);
                }
            }
        });
        for (int i = 0; i < weightSize; i++) {
            float sum = 0f;
            for (int part = 0; part < parts; part++) {
                sum += partials[part * weightSize + i];
            }
            dw[dwo + i] += sum;
        }
    }

    /** {@code dx = dL/dx}, as {@link dev.cortado.backend.Backend#convolutionBackwardInput}. */
    static void backwardInput(ConvSpec spec, float[] w, int wo, float[] dy, int dyo, float[] dx, int dxo) {
        ConvSpec one = spec.oneImage();
        ConvGeometry g = one.geometry();
        int plane = one.outPlane();
        int imageSize = (int) g.imageSize();
        int outSize = (int) one.outputSize();
        GemmSpec product = one.columnGradientProduct(plane);
        Parallel.forRange(spec.geometry().batch(), 1, (from, to) -> {
            float[] dcol = SCRATCH.get().columns(g.columnRows() * plane);
            for (int n = from; n < to; n++) {
                Sgemm.compute(product, w, wo, dy, dyo + n * outSize, dcol, 0);
                ConvolutionOps.col2im(g, dcol, 0, dx, dxo + n * imageSize);
            }
        });
    }

    /**
     * One thread's arrays, grown on demand and kept for the thread's life: one image's column matrix (or its
     * gradient), and the weight gradient's partial sums of the thread that calls {@link #backwardWeight}.
     */
    private static final class Scratch {
        private float[] columns = new float[0];
        private float[] partials = new float[0];

        float[] columns(int size) {
            if (columns.length < size) {
                columns = new float[size];
            }
            return columns;
        }

        float[] partials(int size) {
            if (partials.length < size) {
                partials = new float[size];
            }
            return partials;
        }
    }
}
