package dev.cortado.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.Activation;
import dev.cortado.backend.Backend;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.Sequential;
import dev.cortado.nn.layers.ActivationLayer;
import dev.cortado.nn.layers.Residual;
import dev.cortado.tensor.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A residual block, {@code activation(main(x) + shortcut(x))}:
 *
 * <pre>{@code
 * {"type": "residual",
 *  "main": [{"type": "conv2d", "out": 32, "kernel": 3, "stride": 2, "padding": 1, "bias": false},
 *           {"type": "batchnorm"}, {"type": "relu"},
 *           {"type": "conv2d", "out": 32, "kernel": 3, "padding": 1, "bias": false}, {"type": "batchnorm"}],
 *  "shortcut": [{"type": "conv2d", "out": 32, "kernel": 1, "stride": 2, "bias": false}, {"type": "batchnorm"}],
 *  "activation": "relu"}
 * }</pre>
 *
 * The branches are lists of any layers; the shortcut may be left out (or empty) for the identity, and the
 * activation (any parameterless element-wise one: relu, sigmoid, tanh, gelu, silu, or leaky_relu with its default
 * slope) defaults to relu. Both branches must give the same shape.
 *
 * @param main the main branch, at least one layer
 * @param shortcut the shortcut's layers; empty for the identity
 * @param activation applied to the sum
 */
public record ResidualSpec(List<LayerSpec> main, List<LayerSpec> shortcut, Activation activation)
        implements LayerSpec {
    static final String TYPE = "residual";

    public ResidualSpec {
        if (main.isEmpty()) {
            throw new IllegalArgumentException("the main branch needs at least one layer");
        }
        main = List.copyOf(main);
        shortcut = List.copyOf(shortcut);
        if (activation == null) {
            throw new IllegalArgumentException("the activation must be given");
        }
    }

    /** A block with an identity shortcut and a ReLU after the sum. */
    public static ResidualSpec of(LayerSpec... main) {
        return new ResidualSpec(List.of(main), List.of(), Activation.RELU);
    }

    /** This block with a shortcut of these layers (none: the identity). */
    public ResidualSpec shortcut(LayerSpec... layers) {
        return new ResidualSpec(main, List.of(layers), activation);
    }

    /** This block with another activation after the sum. */
    public ResidualSpec activation(Activation function) {
        return new ResidualSpec(main, shortcut, function);
    }

    static ResidualSpec fromJson(JsonFields fields) {
        List<LayerSpec> main = fields.layers("main");
        List<LayerSpec> shortcut = fields.optionalLayers("shortcut");
        String name = fields.optionalString("activation", ActivationSpec.type(Activation.RELU));
        Activation function = Arrays.stream(Activation.values()).filter(f -> ActivationSpec.type(f).equals(name))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("field 'activation' must be one of "
                        + Arrays.stream(Activation.values()).map(ActivationSpec::type)
                                .collect(Collectors.joining(", ")) + ", got '" + name + "'"));
        return new ResidualSpec(main, shortcut, function);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape input) {
        Shape fromMain = LayerChain.outputShape("main", input, main);
        Shape fromShortcut = LayerChain.outputShape("shortcut", input, shortcut);
        if (!fromMain.equals(fromShortcut)) {
            throw new IllegalArgumentException("the main branch gives " + fromMain + " but the shortcut"
                    + (shortcut.isEmpty() ? " (the identity)" : "") + " gives " + fromShortcut
                    + (shortcut.isEmpty() ? ": give it a shortcut, e.g. a 1x1 conv2d with the main branch's stride "
                    + "and channels and a batchnorm" : ""));
        }
        return fromMain;
    }

    @Override
    public Layer build(Backend backend, Initializer init, Shape input) {
        outputShape(input);
        Sequential mainBranch = LayerChain.build(main, backend, init, input);
        try {
            Sequential shortcutBranch = shortcut.isEmpty() ? null : LayerChain.build(shortcut, backend, init, input);
            return new Residual(mainBranch, shortcutBranch,
                    ActivationLayer.of(activation, ActivationLayer.DEFAULT_SLOPE));
        } catch (RuntimeException e) {
            mainBranch.close();
            throw e;
        }
    }

    @Override
    public void writeFields(ObjectNode node) {
        JsonFields.putLayers(node, "main", main);
        if (!shortcut.isEmpty()) {
            JsonFields.putLayers(node, "shortcut", shortcut);
        }
        node.put("activation", ActivationSpec.type(activation));
    }
}
