package dev.cortado.cpu;

import java.util.Arrays;

/**
 * One thread's buffers for the direct convolutions ({@link DirectConvolution}, {@link WideDirectConvolution},
 * {@link LaneConvolution}, {@link ImageLaneConvolution}, {@link RowInputGradient}), grown on demand and kept for the
 * thread's life. A thread runs one op at a time, so they share them.
 */
final class DirectScratch {
    private static final ThreadLocal<DirectScratch> OF_THREAD = ThreadLocal.withInitial(DirectScratch::new);

    /** The sums of a block of planes by taps: sixteen at most. */
    final float[] blockSums = new float[16];
    private float[] copy = new float[0];
    private float[] planes = new float[0];
    private float[] partials = new float[0];
    private float[] sums = new float[0];

    private DirectScratch() {
    }

    /** The calling thread's buffers. */
    static DirectScratch ofThread() {
        return OF_THREAD.get();
    }

    /** The copy of an image that the taps read: shifted copies, or zero-bordered planes (of images in lanes). */
    float[] copy(int size) {
        copy = atLeast(copy, size);
        return copy;
    }

    /**
     * {@link #copy}'s buffer with its first size floats zeroed: copies that then write only their insides leave
     * their borders zero.
     */
    float[] zeroedCopy(int size) {
        float[] zeroed = copy(size);
        Arrays.fill(zeroed, 0, size, 0f);
        return zeroed;
    }

    /** Planes of output or of dy, laid out as the direct convolution (or the one in lanes) reads or writes them. */
    float[] planes(int size) {
        planes = atLeast(planes, size);
        return planes;
    }

    /**
     * Floats the thread that starts an op shares with the others: the weight gradient's partial sums, the forward
     * pass's weights tap by tap ({@link LaneConvolution}) or in blocks of channels ({@link ImageLaneConvolution}).
     */
    float[] partials(int size) {
        partials = atLeast(partials, size);
        return partials;
    }

    /**
     * A part's weight gradient summed tap by tap, for {@link LaneConvolution}; the weight gradient's sums in lanes,
     * for {@link ImageLaneConvolution}.
     */
    float[] sums(int size) {
        sums = atLeast(sums, size);
        return sums;
    }

    private static float[] atLeast(float[] array, int size) {
        return array.length >= size ? array : new float[size];
    }
}
