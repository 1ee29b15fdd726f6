package dev.cortado.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.Backend;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.layers.ActivationLayer;
import dev.cortado.tensor.Shape;

/** {@code {"type": "tanh"}}: tanh(x), element-wise on any shape. */
public record TanhSpec() implements LayerSpec {
    static final String TYPE = "tanh";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public Layer build(Backend backend, Initializer init, Shape input) {
        return ActivationLayer.tanh();
    }

    @Override
    public void writeFields(ObjectNode node) {
        // no settings
    }
}
