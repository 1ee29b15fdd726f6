package dev.cortado.testing;

import dev.cortado.backend.Activation;
import dev.cortado.model.ActivationSpec;
import dev.cortado.model.Conv2dSpec;
import dev.cortado.model.FlattenSpec;
import dev.cortado.model.LayerSpec;
import dev.cortado.model.LinearSpec;
import dev.cortado.model.ModelSpec;
import dev.cortado.model.Pool2dSpec;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.Sequential;
import dev.cortado.nn.layers.ActivationLayer;
import dev.cortado.nn.layers.AvgPool2d;
import dev.cortado.nn.layers.BatchNorm;
import dev.cortado.nn.layers.Conv2d;
import dev.cortado.nn.layers.Dropout;
import dev.cortado.nn.layers.Flatten;
import dev.cortado.nn.layers.GlobalAvgPool;
import dev.cortado.nn.layers.Linear;
import dev.cortado.nn.layers.MaxPool2d;
import dev.cortado.nn.loss.MseLoss;
import dev.cortado.nn.loss.SoftmaxCrossEntropyLoss;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finite-difference checks of the input gradient and every parameter gradient of every layer and loss, and of a
 * small LeNet-like model, on the device a backend module names. See {@link GradientChecker} for the method.
 */
public abstract class GradientCheckSuite extends BackendSuiteSupport {

    private GradientChecker checker(long seed) {
        return new GradientChecker(backend(), seed);
    }

    private static int size(Shape shape) {
        return Math.toIntExact(shape.size());
    }

    @ParameterizedTest(name = "batch {0}, {1} -> {2}")
    @MethodSource("linearSizes")
    void linear(int batch, int in, int out) {
        GradientChecker check = checker(11 + batch);
        Shape shape = Shape.of(batch, in);
        try (Layer layer = new Linear(backend(), new Initializer(5), in, out)) {
            check.checkLayer(layer, shape, check.uniform(size(shape), -1, 1));
        }
    }

    static Stream<Arguments> linearSizes() {
        return Stream.of(Arguments.of(3, 7, 5), Arguments.of(1, 1, 1), Arguments.of(5, 13, 2));
    }

    @ParameterizedTest(name = "{0}x{1} kernel, stride {2}, padding {3}, dilation {4}, bias {5}")
    @MethodSource("convolutions")
    void conv2d(int kernelH, int kernelW, int stride, int padding, int dilation, boolean bias) {
        GradientChecker check = checker(23 + stride * 7L + dilation);
        Shape shape = Shape.of(2, 3, 7, 6);
        try (Layer layer = new Conv2d(backend(), new Initializer(6), 3, 4, kernelH, kernelW, stride, padding,
                dilation, bias)) {
            check.checkLayer(layer, shape, check.uniform(size(shape), -1, 1));
        }
    }

    static Stream<Arguments> convolutions() {
        return Stream.of(
                Arguments.of(3, 3, 1, 0, 1, true),
                Arguments.of(3, 3, 2, 1, 2, true),
                Arguments.of(2, 3, 1, 1, 1, false));
    }

    /** Two groups of 2 input and 3 output channels, and depthwise with 2 filters per channel. */
    @ParameterizedTest(name = "{0} -> {1} channels in {2} groups, stride {3}")
    @MethodSource("groupedConvolutions")
    void groupedConv2d(int in, int out, int groups, int stride) {
        GradientChecker check = checker(29 + groups);
        Shape shape = Shape.of(2, in, 6, 5);
        try (Layer layer = new Conv2d(backend(), new Initializer(6), in, out, 3, 3, stride, 1, 1, groups, true)) {
            check.checkLayer(layer, shape, check.uniform(size(shape), -1, 1));
        }
    }

    static Stream<Arguments> groupedConvolutions() {
        return Stream.of(Arguments.of(4, 6, 2, 1), Arguments.of(3, 6, 3, 2));
    }

    @ParameterizedTest(name = "kernel {0}, stride {1}, padding {2}")
    @MethodSource("poolings")
    void maxPool2d(int kernel, int stride, int padding) {
        GradientChecker check = checker(31 + kernel);
        Shape shape = Shape.of(2, 3, 7, 5);
        try (Layer layer = new MaxPool2d(kernel, stride, padding)) {
            // Values at least 5 eps apart: a step never changes which element wins a window.
            check.checkLayer(layer, shape, check.distinct(size(shape), 5 * GradientChecker.EPS));
        }
    }

    @ParameterizedTest(name = "kernel {0}, stride {1}, padding {2}")
    @MethodSource("poolings")
    void avgPool2d(int kernel, int stride, int padding) {
        GradientChecker check = checker(37 + kernel);
        Shape shape = Shape.of(2, 3, 7, 5);
        try (Layer layer = new AvgPool2d(kernel, stride, padding)) {
            check.checkLayer(layer, shape, check.uniform(size(shape), -1, 1));
        }
    }

    static Stream<Arguments> poolings() {
        return Stream.of(Arguments.of(2, 2, 0), Arguments.of(3, 2, 1), Arguments.of(3, 1, 0));
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activation(Activation function) {
        GradientChecker check = checker(41 + function.ordinal());
        Shape shape = Shape.of(3, 2, 5);
        Layer layer = switch (function) {
            case RELU -> ActivationLayer.relu();
            case LEAKY_RELU -> ActivationLayer.leakyRelu(0.1f);
            case SIGMOID -> ActivationLayer.sigmoid();
            case TANH -> ActivationLayer.tanh();
            case GELU -> ActivationLayer.gelu();
            case SILU -> ActivationLayer.silu();
        };
        try (layer) {
            check.checkLayer(layer, shape, check.awayFromZero(size(shape)));
        }
    }

    @Test
    void globalAvgPool() {
        GradientChecker check = checker(42);
        Shape shape = Shape.of(2, 3, 4, 5);
        try (Layer layer = new GlobalAvgPool()) {
            check.checkLayer(layer, shape, check.uniform(size(shape), -1, 1));
        }
    }

    /**
     * A residual block with an identity shortcut and one with a strided 1x1 projection, each branch with batch
     * norms, checked whole: parameters of both branches and the input gradient, which adds both branches'. GELU
     * in place of ReLU keeps the block smooth, so every element is checked. Where a convolution feeds a batch
     * norm, which divides by the scale of that convolution's own output, the objective curves strongly: a step of
     * 1e-2 leaves truncation errors of up to about 5% on a few elements, and 1e-3 lets the float32 rounding of the
     * batch norm's statistics through (a few 1e-3 absolute). So the step stays 1e-2 and the relative tolerance is
     * 10%: a gradient lost or doubled on a branch or a shortcut is off by 50% or more wherever it shows.
     */
    @ParameterizedTest(name = "projection shortcut: {0}")
    @ValueSource(booleans = {false, true})
    void residualBlock(boolean projection) {
        GradientChecker check = checker(49).tolerance(0.1, 1e-3);
        Shape shape = Shape.of(2, 3, 5, 5);
        LayerSpec block = projection
                ? LayerSpec.residual(LayerSpec.conv2d(4, 3).stride(2).padding(1).withoutBias(),
                                LayerSpec.batchNorm(), LayerSpec.gelu(),
                                LayerSpec.conv2d(4, 3).padding(1).withoutBias(), LayerSpec.batchNorm())
                        .shortcut(LayerSpec.conv2d(4, 1).stride(2).withoutBias(), LayerSpec.batchNorm())
                        .activation(Activation.GELU)
                : LayerSpec.residual(LayerSpec.conv2d(3, 3).padding(1), LayerSpec.gelu(),
                                LayerSpec.conv2d(3, 3).padding(1), LayerSpec.batchNorm())
                        .activation(Activation.GELU);
        try (Sequential layer = ModelSpec.of("block", Shape.of(3, 5, 5), block).build(backend(), 17)) {
            // Batch norm's weight 1 and bias 0 would hide a gradient that mixes them up.
            for (var p : layer.parameters()) {
                if (p.value().shape().rank() == 1) {
                    backend().upload(check.uniform(Math.toIntExact(p.value().size()), 0.5, 1.5), 0, p.value());
                }
            }
            check.checkLayer(layer, shape, check.uniform(size(shape), -1, 1));
        }
    }

    @Test
    void flatten() {
        GradientChecker check = checker(43);
        Shape shape = Shape.of(2, 3, 2, 5);
        try (Layer layer = new Flatten()) {
            check.checkLayer(layer, shape, check.uniform(size(shape), -1, 1));
        }
    }

    @Test
    void dropout() {
        Shape shape = Shape.of(4, 37);
        try (Dropout layer = new Dropout(new Initializer(7), 0.3f)) {
            // Rewinding the call counter makes every pass draw the same mask, as backward does.
            GradientChecker check = checker(47).beforeForward(() -> layer.restoreCalls(5));
            check.checkLayer(layer, shape, check.uniform(size(shape), -1, 1));
        }
    }

    @Test
    void batchNorm1d() {
        GradientChecker check = checker(53);
        Shape shape = Shape.of(6, 5);
        try (BatchNorm layer = BatchNorm.of1d(backend(), 5)) {
            randomizeAffine(layer, check);
            check.checkLayer(layer, shape, check.uniform(size(shape), -1, 1));
        }
    }

    @Test
    void batchNorm1dOverSequences() {
        GradientChecker check = checker(57);
        Shape shape = Shape.of(3, 4, 5);
        try (BatchNorm layer = BatchNorm.of1d(backend(), 4)) {
            randomizeAffine(layer, check);
            check.checkLayer(layer, shape, check.uniform(size(shape), -1, 1));
        }
    }

    @Test
    void batchNorm2d() {
        GradientChecker check = checker(59);
        Shape shape = Shape.of(3, 2, 3, 5);
        try (BatchNorm layer = BatchNorm.of2d(backend(), 2)) {
            randomizeAffine(layer, check);
            check.checkLayer(layer, shape, check.uniform(size(shape), -1, 1));
        }
    }

    /** Weight 1 and bias 0 would hide a gradient that mixes them up. */
    private void randomizeAffine(BatchNorm layer, GradientChecker check) {
        for (var p : layer.parameters()) {
            backend().upload(check.uniform(Math.toIntExact(p.value().size()), 0.5, 1.5), 0, p.value());
        }
    }

    @ParameterizedTest(name = "batch {0}, {1} classes")
    @MethodSource("classifications")
    void softmaxCrossEntropy(int batch, int classes) {
        GradientChecker check = checker(61 + batch);
        float[] labels = new float[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = (i * 7 + 3) % classes;
        }
        Shape shape = Shape.of(batch, classes);
        try (SoftmaxCrossEntropyLoss loss = new SoftmaxCrossEntropyLoss();
             Tensor target = backend().upload(Shape.of(batch), labels)) {
            check.checkLoss(loss, shape, check.uniform(size(shape), -3, 3), target);
        }
    }

    static Stream<Arguments> classifications() {
        return Stream.of(Arguments.of(5, 7), Arguments.of(1, 2), Arguments.of(3, 10));
    }

    @ParameterizedTest(name = "label smoothing {0}")
    @ValueSource(floats = {0.1f, 1f})
    void softmaxCrossEntropyWithLabelSmoothing(float smoothing) {
        GradientChecker check = checker(63);
        float[] labels = {3, 0, 6, 3};
        Shape shape = Shape.of(4, 7);
        try (SoftmaxCrossEntropyLoss loss = new SoftmaxCrossEntropyLoss(smoothing);
             Tensor target = backend().upload(Shape.of(4), labels)) {
            check.checkLoss(loss, shape, check.uniform(size(shape), -3, 3), target);
        }
    }

    @Test
    void meanSquaredError() {
        GradientChecker check = checker(67);
        Shape shape = Shape.of(3, 7);
        try (MseLoss loss = new MseLoss();
             Tensor target = backend().upload(shape, check.uniform(size(shape), -1, 1))) {
            check.checkLoss(loss, shape, check.uniform(size(shape), -1, 1), target);
        }
    }

    /**
     * Conv, ReLU, max-pool twice, then two linear layers, on 1x12x12 images: checks that gradients flow through
     * a whole model. Inside it kinks cannot be kept away from: moving a first-layer weight moves every
     * pre-activation of that channel. A smaller step makes crossing one rarer, and the few elements whose
     * central difference is off where the one-sided differences disagree (a crossed kink) are let through.
     */
    @Test
    void lenetLikeModel() {
        List<LayerSpec> layers = List.of(
                new Conv2dSpec(4, 3, 1, 1), ActivationSpec.relu(), Pool2dSpec.max(2, 2, 0),
                new Conv2dSpec(6, 3, 1, 0), ActivationSpec.relu(), Pool2dSpec.max(2, 2, 0),
                new FlattenSpec(), new LinearSpec(10), ActivationSpec.relu(), new LinearSpec(3));
        ModelSpec spec = new ModelSpec("lenet-like", Shape.of(1, 12, 12), layers);
        GradientChecker check = checker(71).step(1e-3).allowKinks(0.1);
        Shape shape = Shape.of(2, 1, 12, 12);
        try (Sequential model = spec.build(backend(), 13)) {
            check.checkLayer(model, shape, check.uniform(size(shape), -1, 1));
        }
    }

    /**
     * A small ResNet as the built-ins are made (stem, a block with an identity shortcut, a strided block with a
     * projection, global average pooling, a linear layer), with ReLUs: its kinks are handled as in
     * {@link #lenetLikeModel}, but more of them are crossed, since a batch norm before every ReLU centres the
     * pre-activations on the kink; {@link #residualBlock} checks every element of the blocks without kinks. Kinks
     * crossed within the step on both sides of an element leave its one-sided differences alike but its central
     * one a few per cent off (weight 105 of the strided block's first convolution: 2.2% at a step of 1e-3, exact at
     * 1e-4, the same on 512- and 256-bit vectors), so the relative tolerance is 3%, not 1%.
     */
    @Test
    void resnetLikeModel() {
        ModelSpec spec = ModelSpec.of("resnet-like", Shape.of(1, 8, 8),
                LayerSpec.conv2d(4, 3).padding(1).withoutBias(), LayerSpec.batchNorm(), LayerSpec.relu(),
                LayerSpec.residual(LayerSpec.conv2d(4, 3).padding(1).withoutBias(), LayerSpec.batchNorm(),
                        LayerSpec.relu(), LayerSpec.conv2d(4, 3).padding(1).withoutBias(), LayerSpec.batchNorm()),
                LayerSpec.residual(LayerSpec.conv2d(6, 3).stride(2).padding(1).withoutBias(), LayerSpec.batchNorm(),
                                LayerSpec.relu(), LayerSpec.conv2d(6, 3).padding(1).withoutBias(),
                                LayerSpec.batchNorm())
                        .shortcut(LayerSpec.conv2d(6, 1).stride(2).withoutBias(), LayerSpec.batchNorm()),
                LayerSpec.globalAvgPool(), LayerSpec.linear(3));
        GradientChecker check = checker(73).step(1e-3).tolerance(0.03, 1e-3).allowKinks(0.25);
        Shape shape = Shape.of(3, 1, 8, 8);
        try (Sequential model = spec.build(backend(), 19)) {
            check.checkLayer(model, shape, check.uniform(size(shape), -1, 1));
        }
    }
}
