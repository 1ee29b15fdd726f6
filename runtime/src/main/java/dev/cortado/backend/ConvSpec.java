package dev.cortado.backend;

/**
 * A 2-D convolution of an NCHW batch, as {@link Backend#convolutionForward} and its gradients compute it: the
 * input's {@link ConvGeometry}, how many channels come out, and how many groups the channels are split into.
 * The weight is {@code (outChannels, channels/groups, kernelH, kernelW)}, the output
 * {@code (batch, outChannels, outH, outW)}; there is no bias (the layer adds it).
 *
 * <p>As matrices, one image's output {@code (outChannels, outH*outW)} is the weight
 * {@code (outChannels, columnRows)} times its column matrix ({@link Backend#im2col} of that image), one product
 * per group: {@link #forwardProduct}, {@link #weightGradientProduct} and {@link #columnGradientProduct} give those
 * products for a run of column-matrix columns, which is how a backend that materialises the column matrix and one
 * that convolves an image at a time both describe their GEMMs.
 */
public record ConvSpec(ConvGeometry geometry, int outChannels, int groups) {

    public ConvSpec {
        if (geometry == null || outChannels < 1 || groups < 1 || geometry.channels() % groups != 0
                || outChannels % groups != 0) {
            throw new IllegalArgumentException("bad convolution: " + geometry + ", " + outChannels
                    + " output channels, " + groups + " groups (groups must divide both channel counts)");
        }
    }

    /** One group's rows of the column matrix: {@code channels/groups * kernelH * kernelW}. */
    public int groupColumnRows() {
        return geometry.columnRows() / groups;
    }

    /** One group's output channels. */
    public int groupOutChannels() {
        return outChannels / groups;
    }

    /** Output pixels per channel of one image, {@code outH * outW}. */
    public int outPlane() {
        return geometry.outHeight() * geometry.outWidth();
    }

    /** Floats of the weight. */
    public long weightSize() {
        return (long) outChannels * groupColumnRows();
    }

    /** Floats of the output (and of its gradient). */
    public long outputSize() {
        return (long) geometry.batch() * outChannels * outPlane();
    }

    /** This convolution of a batch of {@code images} images of the same size, channels and kernel. */
    public ConvSpec ofImages(int images) {
        ConvGeometry g = geometry;
        return new ConvSpec(new ConvGeometry(images, g.channels(), g.height(), g.width(), g.kernelH(), g.kernelW(),
                g.stride(), g.padding(), g.dilation()), outChannels, groups);
    }

    /** {@code out (outChannels, columns) = weight * col (columnRows, columns)}, a product per group. */
    public GemmSpec forwardProduct(int columns) {
        return perGroup(GemmSpec.of(false, false, groupOutChannels(), columns, groupColumnRows()));
    }

    /** {@code dWeight += dOut (outChannels, columns) * col^T}, a product per group. */
    public GemmSpec weightGradientProduct(int columns) {
        return perGroup(GemmSpec.of(false, true, groupOutChannels(), groupColumnRows(), columns).scaled(1f, 1f));
    }

    /** {@code dCol (columnRows, columns) = weight^T * dOut (outChannels, columns)}, a product per group. */
    public GemmSpec columnGradientProduct(int columns) {
        return perGroup(GemmSpec.of(true, false, groupColumnRows(), columns, groupOutChannels()));
    }

    /**
     * One group's product repeated for every group: each operand and the result move on by one group's matrix,
     * as stored (A is {@code m x k} or {@code k x m}, B {@code k x n} or {@code n x k}, C {@code m x n}); the
     * column matrix's rows, the weight's rows and the output's rows of one group are each one block.
     */
    private GemmSpec perGroup(GemmSpec one) {
        if (groups == 1) {
            return one;
        }
        return one.batched(groups, (long) one.m() * one.k(), (long) one.k() * one.n(), (long) one.m() * one.n());
    }
}
