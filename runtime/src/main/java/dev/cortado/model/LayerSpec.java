package dev.cortado.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.Backend;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.tensor.Shape;

/**
 * One layer of a {@link ModelSpec}: its type and settings, without input sizes, which come from the shape that
 * the previous layer produces. In JSON an object with a {@code "type"} field naming the record, e.g.
 * {@code {"type": "conv2d", "out": 6, "kernel": 5, "padding": 2}}.
 *
 * <p>The static methods make the built-in layers, for models written in code:
 *
 * <pre>{@code
 * import static dev.cortado.model.LayerSpec.*;
 *
 * ModelSpec lenet = ModelSpec.of("lenet5", Shape.of(1, 28, 28),
 *         conv2d(6, 5).padding(2), relu(), maxPool2d(2),
 *         conv2d(16, 5), relu(), maxPool2d(2),
 *         flatten(), linear(120), relu(), linear(84), relu(), linear(10));
 * }</pre>
 *
 * The ResNets' blocks are {@link #residual} layers, whose branches are lists of layers like these.
 *
 * <p>A layer of your own implements this interface and registers a {@link LayerType} for its JSON type, so that
 * specs can name it and checkpoints that hold it can be read back.
 */
public interface LayerSpec {

    /** The JSON {@code "type"} of this layer, which its {@link LayerType} reads. */
    String type();

    /**
     * The output shape for an input shape, both with the batch dimension.
     *
     * @throws IllegalArgumentException saying why the input does not fit
     */
    Shape outputShape(Shape input);

    /**
     * How many trainable values the layer built for inputs of this shape holds (0 for none), computed without
     * building it, for the checks that a model fits before it is built.
     */
    default long parameterCount(Shape input) {
        return 0;
    }

    /** A new layer for inputs of this shape, drawing its parameters from {@code init}. */
    Layer build(Backend backend, Initializer init, Shape input);

    /** Writes this layer's settings (everything but the type) into {@code node}. */
    void writeFields(ObjectNode node);

    /**
     * Reads a layer from its JSON object, checking every field, through the {@link LayerTypes} registry.
     *
     * @throws IllegalArgumentException for an unknown type, or a field that is missing, unknown or wrong
     */
    static LayerSpec fromJson(JsonFields fields) {
        LayerSpec spec = LayerTypes.get(fields.requiredString("type")).read(fields);
        fields.rejectUnknown();
        return spec;
    }

    /** A fully connected layer with {@code out} outputs; its input size comes from the layer before. */
    static LinearSpec linear(int out) {
        return new LinearSpec(out);
    }

    /**
     * A 2-D convolution with {@code out} channels and a square kernel, stride 1, no padding, with a bias; change
     * these with {@link Conv2dSpec#stride(int)}, {@link Conv2dSpec#padding(int)}, {@link Conv2dSpec#dilation(int)}
     * and {@link Conv2dSpec#withoutBias()}.
     */
    static Conv2dSpec conv2d(int out, int kernel) {
        return new Conv2dSpec(out, kernel, kernel, 1, 0, 1, true);
    }

    /** Max pooling over a square window, with the window as the stride and no padding. */
    static Pool2dSpec maxPool2d(int kernel) {
        return Pool2dSpec.max(kernel, kernel, 0);
    }

    /** Average pooling over a square window, with the window as the stride and no padding. */
    static Pool2dSpec avgPool2d(int kernel) {
        return Pool2dSpec.avg(kernel, kernel, 0);
    }

    /** {@code max(x, 0)}. */
    static ActivationSpec relu() {
        return ActivationSpec.relu();
    }

    /** {@code x} for positive x, else {@code slope * x}. */
    static ActivationSpec leakyRelu(float slope) {
        return ActivationSpec.leakyRelu(slope);
    }

    /** {@code 1 / (1 + e^-x)}. */
    static ActivationSpec sigmoid() {
        return ActivationSpec.sigmoid();
    }

    /** {@code tanh(x)}. */
    static ActivationSpec tanh() {
        return ActivationSpec.tanh();
    }

    /** The exact GELU, {@code x * Phi(x)} with Phi the standard normal distribution function. */
    static ActivationSpec gelu() {
        return ActivationSpec.gelu();
    }

    /** SiLU (swish), {@code x * sigmoid(x)}. */
    static ActivationSpec silu() {
        return ActivationSpec.silu();
    }

    /** Flattens each sample to one dimension, as before a linear layer. */
    static FlattenSpec flatten() {
        return new FlattenSpec();
    }

    /** Drops each element with probability {@code p} while training. */
    static DropoutSpec dropout(float p) {
        return new DropoutSpec(p);
    }

    /** Batch normalisation over the channels (or features) of its input. */
    static BatchNormSpec batchNorm() {
        return new BatchNormSpec();
    }

    /** The mean of each channel, {@code (N, C, H, W) -> (N, C)}. */
    static GlobalAvgPoolSpec globalAvgPool() {
        return new GlobalAvgPoolSpec();
    }

    /**
     * A residual block, {@code relu(main(x) + x)}; give it a shortcut with {@link ResidualSpec#shortcut} where the
     * main branch changes the shape, e.g. {@code residual(conv2d(32, 3).stride(2).padding(1).withoutBias(),
     * batchNorm(), relu(), conv2d(32, 3).padding(1).withoutBias(), batchNorm())
     * .shortcut(conv2d(32, 1).stride(2).withoutBias(), batchNorm())}.
     */
    static ResidualSpec residual(LayerSpec... main) {
        return ResidualSpec.of(main);
    }
}
