package dev.cortado.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.Backend;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.layers.Flatten;
import dev.cortado.tensor.Shape;

/** {@code {"type": "flatten"}}: {@code (N, ...) -> (N, features)}. */
public record FlattenSpec() implements LayerSpec {
    static final String TYPE = "flatten";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape input) {
        return new Flatten().outputShape(input);
    }

    @Override
    public Layer build(Backend backend, Initializer init, Shape input) {
        return new Flatten();
    }

    @Override
    public void writeFields(ObjectNode node) {
        // no settings
    }
}
