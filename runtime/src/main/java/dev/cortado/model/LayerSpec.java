package dev.cortado.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.Activation;
import dev.cortado.backend.Backend;
import dev.cortado.backend.PoolSpec;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.tensor.Shape;
import java.util.List;

/**
 * One layer of a {@link ModelSpec}: its type and settings, without input sizes, which come from the shape that
 * the previous layer produces. In JSON an object with a {@code "type"} field naming the record, e.g.
 * {@code {"type": "conv2d", "out": 6, "kernel": 5, "padding": 2}}.
 */
public sealed interface LayerSpec permits LinearSpec, Conv2dSpec, Pool2dSpec, ActivationSpec, FlattenSpec,
        DropoutSpec, BatchNormSpec {

    /** Every layer type, as written in JSON. */
    List<String> TYPES = List.of(LinearSpec.TYPE, Conv2dSpec.TYPE, Pool2dSpec.MAX_TYPE, Pool2dSpec.AVG_TYPE,
            ActivationSpec.type(Activation.RELU), ActivationSpec.type(Activation.LEAKY_RELU),
            ActivationSpec.type(Activation.SIGMOID), ActivationSpec.type(Activation.TANH), FlattenSpec.TYPE,
            DropoutSpec.TYPE, BatchNormSpec.TYPE);

    /** The JSON {@code "type"} of this layer. */
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

    /** Reads a layer from its JSON object, checking every field. */
    static LayerSpec fromJson(JsonFields fields) {
        String type = fields.requiredString("type");
        LayerSpec spec = switch (type) {
            case LinearSpec.TYPE -> LinearSpec.fromJson(fields);
            case Conv2dSpec.TYPE -> Conv2dSpec.fromJson(fields);
            case Pool2dSpec.MAX_TYPE -> Pool2dSpec.fromJson(PoolSpec.Kind.MAX, fields);
            case Pool2dSpec.AVG_TYPE -> Pool2dSpec.fromJson(PoolSpec.Kind.AVG, fields);
            case "relu" -> ActivationSpec.fromJson(Activation.RELU, fields);
            case "leaky_relu" -> ActivationSpec.fromJson(Activation.LEAKY_RELU, fields);
            case "sigmoid" -> ActivationSpec.fromJson(Activation.SIGMOID, fields);
            case "tanh" -> ActivationSpec.fromJson(Activation.TANH, fields);
            case FlattenSpec.TYPE -> new FlattenSpec();
            case DropoutSpec.TYPE -> DropoutSpec.fromJson(fields);
            case BatchNormSpec.TYPE -> new BatchNormSpec();
            default -> throw new IllegalArgumentException("unknown layer type '" + type + "' (known: "
                    + String.join(", ", TYPES) + ")");
        };
        fields.rejectUnknown();
        return spec;
    }
}
