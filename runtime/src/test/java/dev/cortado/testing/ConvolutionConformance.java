package dev.cortado.testing;

import static dev.cortado.testing.Tolerance.EXACT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
import dev.cortado.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The convolution ops against the definition, and the im2col, col2im and axis swap a backend may build them from.
 */
public interface ConvolutionConformance extends BackendTestContext {

    /** (batch, channels, height, width, kernelH, kernelW, stride, padding, dilation). */
    static Stream<ConvGeometry> geometries() {
        return Stream.of(
                new ConvGeometry(1, 1, 1, 1, 1, 1, 1, 0, 1),
                new ConvGeometry(2, 3, 7, 7, 3, 3, 1, 1, 1),
                new ConvGeometry(1, 2, 13, 11, 3, 5, 2, 1, 1),
                new ConvGeometry(3, 1, 9, 9, 3, 3, 1, 0, 2),
                new ConvGeometry(2, 4, 8, 6, 1, 1, 1, 0, 1),
                new ConvGeometry(1, 3, 10, 9, 1, 1, 2, 0, 1),
                new ConvGeometry(2, 2, 17, 19, 4, 3, 3, 2, 2),
                new ConvGeometry(1, 1, 5, 31, 1, 7, 1, 3, 1),
                new ConvGeometry(4, 6, 14, 14, 5, 5, 1, 2, 1));
    }

    /**
     * Convolutions of every kind a layer makes: padded, strided, dilated, 1x1, grouped, depthwise, a single image,
     * and more images than a CPU shares out at once. Among them the kinds a CPU may compute another way: with 4 or
     * more input channels, strided, unpadded or with 32 output channels, whose weight gradient may come from rows
     * per output pixel (one with padding wider than the kernel reaches, so that whole kernel rows fall outside the
     * image); and at stride 1 with output rows a little narrower than their padded input rows (unpadded, padded,
     * dilated, grouped, and more images than one chunk), which may be computed on the padded rows. Strided ones
     * with a kernel at least as large as the stride, which may be unfolded from the image's stride phases: phases
     * as wide as the output and narrower, image sides that are not multiples of the stride, stride 3, grouped, and
     * more images than one chunk. And "same" stride-1 convolutions with few taps (LeNet-5's first, a dilated
     * one with output channels that are not a multiple of four, a 1x1 one with planes shorter than a vector), which
     * may be computed directly from shifted copies of the image. Stride-1 convolutions with many taps, which may be
     * computed directly from a padded copy of each image: a "same" one whose input gradient is one too, LeNet-5's
     * second (unpadded), and a batch of one image with more output channels than four, not a multiple of four; and
     * two with images wide enough for the weight gradient to be computed that way too, "same" and unpadded. The
     * strided ones may be computed that way from their phases too; four more cover the paths of copying an image
     * into them: a stride-2 one wide enough for its weight gradient, a 2x2 kernel at stride 2 unpadded, padding
     * 2 with an odd height, and stride 3. Three batches whose weight gradients may be computed over several images
     * at a time, in groups that do not divide the batch's parts: "same", stride 2 and unpadded 5x5 (LeNet-5's
     * second).
     */
    static Stream<ConvSpec> convolutions() {
        return Stream.of(
                new ConvSpec(new ConvGeometry(1, 1, 1, 1, 1, 1, 1, 0, 1), 1, 1),
                new ConvSpec(new ConvGeometry(2, 3, 7, 7, 3, 3, 1, 1, 1), 5, 1),
                new ConvSpec(new ConvGeometry(1, 2, 13, 11, 3, 5, 2, 1, 1), 4, 2),
                new ConvSpec(new ConvGeometry(3, 1, 9, 9, 3, 3, 1, 0, 2), 3, 1),
                new ConvSpec(new ConvGeometry(2, 4, 8, 6, 1, 1, 1, 0, 1), 6, 2),
                new ConvSpec(new ConvGeometry(2, 2, 17, 19, 4, 3, 3, 2, 2), 3, 1),
                new ConvSpec(new ConvGeometry(4, 6, 14, 14, 5, 5, 1, 2, 1), 9, 3),
                new ConvSpec(new ConvGeometry(3, 8, 6, 6, 3, 3, 1, 1, 1), 8, 8),
                new ConvSpec(new ConvGeometry(5, 3, 10, 10, 3, 3, 2, 1, 1), 7, 1),
                new ConvSpec(new ConvGeometry(19, 3, 9, 9, 3, 3, 1, 1, 1), 4, 1),
                new ConvSpec(new ConvGeometry(3, 8, 9, 7, 3, 3, 2, 1, 1), 5, 1),
                new ConvSpec(new ConvGeometry(2, 9, 11, 10, 3, 5, 1, 2, 2), 32, 1),
                new ConvSpec(new ConvGeometry(7, 8, 6, 6, 3, 3, 2, 0, 1), 3, 1),
                new ConvSpec(new ConvGeometry(2, 8, 5, 5, 3, 3, 2, 3, 1), 4, 1),
                new ConvSpec(new ConvGeometry(3, 2, 12, 11, 3, 3, 1, 0, 1), 5, 1),
                new ConvSpec(new ConvGeometry(2, 3, 10, 12, 3, 5, 1, 1, 1), 4, 1),
                new ConvSpec(new ConvGeometry(2, 4, 9, 9, 3, 3, 1, 0, 1), 6, 2),
                new ConvSpec(new ConvGeometry(2, 2, 13, 13, 3, 3, 1, 1, 2), 3, 1),
                new ConvSpec(new ConvGeometry(11, 2, 12, 11, 3, 3, 1, 0, 1), 5, 1),
                new ConvSpec(new ConvGeometry(3, 5, 9, 8, 3, 3, 1, 0, 1), 7, 1),
                new ConvSpec(new ConvGeometry(2, 3, 11, 10, 3, 4, 3, 1, 1), 5, 1),
                new ConvSpec(new ConvGeometry(9, 16, 28, 28, 3, 3, 2, 1, 1), 32, 1),
                new ConvSpec(new ConvGeometry(3, 1, 28, 28, 5, 5, 1, 2, 1), 6, 1),
                new ConvSpec(new ConvGeometry(2, 3, 11, 9, 3, 3, 1, 2, 2), 9, 1),
                new ConvSpec(new ConvGeometry(5, 1, 4, 3, 1, 1, 1, 0, 1), 4, 1),
                new ConvSpec(new ConvGeometry(3, 16, 14, 14, 3, 3, 1, 1, 1), 12, 1),
                new ConvSpec(new ConvGeometry(2, 6, 14, 14, 5, 5, 1, 0, 1), 16, 1),
                new ConvSpec(new ConvGeometry(1, 8, 7, 7, 3, 3, 1, 1, 1), 10, 1),
                new ConvSpec(new ConvGeometry(2, 4, 28, 28, 3, 3, 1, 1, 1), 5, 1),
                new ConvSpec(new ConvGeometry(3, 2, 26, 24, 5, 5, 1, 0, 1), 6, 1),
                new ConvSpec(new ConvGeometry(2, 3, 48, 50, 3, 3, 2, 1, 1), 6, 1),
                new ConvSpec(new ConvGeometry(3, 5, 12, 12, 2, 2, 2, 0, 1), 6, 1),
                new ConvSpec(new ConvGeometry(2, 4, 13, 14, 3, 3, 2, 2, 1), 5, 1),
                new ConvSpec(new ConvGeometry(2, 3, 11, 11, 3, 3, 3, 1, 1), 4, 1),
                new ConvSpec(new ConvGeometry(13, 4, 20, 20, 3, 3, 1, 1, 1), 5, 1),
                new ConvSpec(new ConvGeometry(13, 3, 40, 40, 3, 3, 2, 1, 1), 6, 1),
                new ConvSpec(new ConvGeometry(17, 6, 14, 14, 5, 5, 1, 0, 1), 16, 1),
                // 3x3 "same" convolutions with many channels (Winograd's on the CPU): chunks of images with a short
                // last one, odd and unequal sides, planes smaller than a tile row of vectors
                new ConvSpec(new ConvGeometry(3, 32, 14, 14, 3, 3, 1, 1, 1), 32, 1),
                new ConvSpec(new ConvGeometry(2, 40, 7, 9, 3, 3, 1, 1, 1), 12, 1),
                new ConvSpec(new ConvGeometry(11, 36, 5, 3, 3, 3, 1, 1, 1), 36, 1),
                // output channels in whole vectors, the CPU's LaneConvolution: four 512-bit vectors (eight of 256
                // bits) at stride 1 and 2, one image at stride 2 with no padding (its pixels shared out), stride 3
                // with dilation, 32 input channels at stride 2, 8 output channels (one 256-bit vector) at stride 3
                new ConvSpec(new ConvGeometry(3, 8, 9, 9, 3, 3, 1, 1, 1), 64, 1),
                new ConvSpec(new ConvGeometry(3, 8, 11, 9, 3, 3, 2, 1, 1), 64, 1),
                new ConvSpec(new ConvGeometry(1, 16, 13, 13, 3, 3, 2, 0, 1), 16, 1),
                new ConvSpec(new ConvGeometry(2, 8, 17, 15, 3, 3, 3, 2, 2), 32, 1),
                new ConvSpec(new ConvGeometry(2, 32, 11, 10, 3, 3, 2, 1, 1), 16, 1),
                new ConvSpec(new ConvGeometry(2, 16, 13, 11, 3, 3, 3, 2, 2), 8, 1),
                // input rows that fit a vector, the CPU's RowInputGradient: rows of 15 (512 bits) and of 7 (256
                // bits), odd heights, input channels past a block of six, padding up to the kernel's width - 1
                new ConvSpec(new ConvGeometry(2, 13, 11, 15, 3, 5, 1, 2, 1), 7, 1),
                new ConvSpec(new ConvGeometry(3, 7, 9, 7, 4, 3, 1, 2, 1), 6, 1),
                // the CPU's direct weight gradient in blocks of three channels by five taps, both filled up
                new ConvSpec(new ConvGeometry(2, 1, 9, 8, 3, 3, 1, 1, 1), 5, 1),
                // images in a vector's lanes, the CPU's ImageLaneConvolution where vectors hold 16 floats: LeNet-5's
                // second for a vector of images; a padded 7x7 kernel whose output rows and channels do not fill
                // their blocks (9 of 10 pixels, 15 of 16 channels); a batch that does not fill its vector
                new ConvSpec(new ConvGeometry(16, 6, 14, 14, 5, 5, 1, 0, 1), 16, 1),
                new ConvSpec(new ConvGeometry(16, 2, 13, 13, 7, 7, 1, 1, 1), 15, 1),
                new ConvSpec(new ConvGeometry(14, 3, 16, 16, 7, 7, 1, 0, 1), 8, 1));
    }

    /** (a, b, c) shapes for the leading-axes swap. */
    static Stream<Arguments> swapShapes() {
        return Stream.of(
                Arguments.of(1, 1, 1), Arguments.of(7, 13, 1), Arguments.of(3, 5, 31), Arguments.of(97, 2, 7),
                Arguments.of(1, 257, 3), Arguments.of(13, 1, 5), Arguments.of(64, 33, 17));
    }

    private static int columnsSize(ConvGeometry g) {
        return Math.toIntExact(g.columnRows() * g.columnCols());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convolutions")
    default void convolutionForwardMatchesTheDefinition(ConvSpec s) {
        float[] x = values(Math.toIntExact(s.geometry().imageSize()));
        float[] w = values(Math.toIntExact(s.weightSize()));
        Tensor y = poisoned(Math.toIntExact(s.outputSize()));
        backend().convolutionForward(s, tensor(x), tensor(w), y);
        assertClose("convolutionForward " + s, ReferenceOps.convolution(s, x, w), y,
                Tolerance.accumulating(s.groupColumnRows()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convolutions")
    default void convolutionBackwardWeightAddsTheWeightGradient(ConvSpec s) {
        float[] x = values(Math.toIntExact(s.geometry().imageSize()));
        float[] dy = values(Math.toIntExact(s.outputSize()));
        float[] old = values(Math.toIntExact(s.weightSize()));
        Tensor dw = tensor(old);
        backend().convolutionBackwardWeight(s, tensor(x), tensor(dy), dw);
        float[] expected = ReferenceOps.convolutionWeightGradient(s, x, dy);
        for (int i = 0; i < expected.length; i++) {
            expected[i] += old[i];
        }
        assertClose("convolutionBackwardWeight " + s, expected, dw,
                Tolerance.accumulating((long) s.geometry().batch() * s.outPlane()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convolutions")
    default void convolutionBackwardInputMatchesTheDefinition(ConvSpec s) {
        float[] w = values(Math.toIntExact(s.weightSize()));
        float[] dy = values(Math.toIntExact(s.outputSize()));
        Tensor dx = poisoned(Math.toIntExact(s.geometry().imageSize()));
        backend().convolutionBackwardInput(s, tensor(w), tensor(dy), dx);
        ConvGeometry g = s.geometry();
        assertClose("convolutionBackwardInput " + s, ReferenceOps.convolutionInputGradient(s, w, dy), dx,
                Tolerance.accumulating((long) s.groupOutChannels() * g.kernelH() * g.kernelW()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    default void im2colMatchesReference(ConvGeometry g) {
        float[] image = values(Math.toIntExact(g.imageSize()));
        Tensor columns = poisoned(g.columnRows(), Math.toIntExact(g.columnCols()));
        backend().im2col(g, tensor(image), columns);
        assertClose("im2col " + g, ReferenceOps.im2col(g, image), columns, EXACT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    default void col2imMatchesReference(ConvGeometry g) {
        float[] columns = values(columnsSize(g));
        Tensor image = poisoned(g.batch(), g.channels(), g.height(), g.width());
        backend().col2im(g, tensor(columns), image);
        assertClose("col2im " + g, ReferenceOps.col2im(g, columns), image,
                Tolerance.accumulating((long) g.kernelH() * g.kernelW()));
    }

    /** {@code <im2col(x), c> == <x, col2im(c)>}: col2im is the adjoint the convolution's backward pass needs. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    default void col2imIsTheAdjointOfIm2col(ConvGeometry g) {
        float[] x = values(Math.toIntExact(g.imageSize()));
        float[] c = values(columnsSize(g));
        Tensor columns = poisoned(columnsSize(g));
        Tensor image = poisoned(x.length);
        backend().im2col(g, tensor(x), columns);
        backend().col2im(g, tensor(c), image);
        float[] unfolded = read(columns);
        float[] folded = read(image);
        double left = 0;
        double right = 0;
        double magnitude = 0;
        for (int i = 0; i < c.length; i++) {
            left += (double) unfolded[i] * c[i];
            magnitude += Math.abs((double) unfolded[i] * c[i]);
        }
        for (int i = 0; i < x.length; i++) {
            right += (double) x[i] * folded[i];
        }
        assertEquals(left, right, 1e-5 * magnitude + 1e-6, "<im2col(x), c> vs <x, col2im(c)> for " + g);
    }

    @ParameterizedTest(name = "({0}, {1}, {2})")
    @MethodSource("swapShapes")
    default void swapLeadingAxesTransposesTheFirstTwoAxes(int a, int b, int c) {
        float[] src = values(a * b * c);
        Tensor dst = poisoned(b, a, c);
        backend().swapLeadingAxes(a, b, c, tensor(src, a, b, c), dst);
        assertClose("swapLeadingAxes(" + a + ", " + b + ", " + c + ")", ReferenceOps.swapLeadingAxes(a, b, c, src),
                dst, EXACT);
    }

    @Test
    default void convolutionOpsRejectBadSizes() {
        ConvGeometry g = new ConvGeometry(2, 3, 7, 7, 3, 3, 1, 1, 1);
        Tensor image = tensor(values(Math.toIntExact(g.imageSize())));
        Tensor columns = tensor(values(columnsSize(g)));
        assertRejects("im2col into one float too few",
                () -> backend().im2col(g, image, poisoned(columnsSize(g) - 1)));
        assertRejects("im2col from one float too many",
                () -> backend().im2col(g, tensor(values((int) g.imageSize() + 1)), columns));
        assertRejects("col2im into one float too few",
                () -> backend().col2im(g, columns, poisoned((int) g.imageSize() - 1)));
        assertRejects("col2im from one float too few",
                () -> backend().col2im(g, tensor(values(columnsSize(g) - 1)), image));
        ConvSpec s = new ConvSpec(g, 4, 1);
        Tensor w = tensor(values(Math.toIntExact(s.weightSize())));
        Tensor y = tensor(values(Math.toIntExact(s.outputSize())));
        assertRejects("convolutionForward with a weight one float short",
                () -> backend().convolutionForward(s, image, poisoned(Math.toIntExact(s.weightSize()) - 1),
                        poisoned(Math.toIntExact(s.outputSize()))));
        assertRejects("convolutionForward into one float too many",
                () -> backend().convolutionForward(s, image, w, poisoned(Math.toIntExact(s.outputSize()) + 1)));
        assertRejects("convolutionBackwardWeight into a wrong size",
                () -> backend().convolutionBackwardWeight(s, image, y, poisoned(Math.toIntExact(s.weightSize()) + 1)));
        assertRejects("convolutionBackwardInput from a wrong size",
                () -> backend().convolutionBackwardInput(s, w, tensor(values(Math.toIntExact(s.outputSize()) - 1)),
                        poisoned((int) g.imageSize())));
        assertRejects("swapLeadingAxes into a wrong size",
                () -> backend().swapLeadingAxes(3, 5, 7, tensor(values(105)), poisoned(104)));
        assertRejects("swapLeadingAxes from a wrong size",
                () -> backend().swapLeadingAxes(3, 5, 7, tensor(values(106)), poisoned(105)));
    }
}
