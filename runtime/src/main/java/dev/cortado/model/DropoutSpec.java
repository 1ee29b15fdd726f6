package dev.cortado.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.Backend;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.layers.Dropout;
import dev.cortado.tensor.Shape;

/**
 * {@code {"type": "dropout", "p": 0.5}}: drops each element with probability p in [0, 1) while training. (The
 * mask itself is described by {@link dev.cortado.backend.DropoutSpec}.)
 */
public record DropoutSpec(float p) implements LayerSpec {
    static final String TYPE = "dropout";

    public DropoutSpec {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("p must be in [0, 1), got " + p);
        }
    }

    static DropoutSpec fromJson(JsonFields fields) {
        return new DropoutSpec(fields.requiredFloat("p"));
    }

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
        return new Dropout(init, p);
    }

    @Override
    public void writeFields(ObjectNode node) {
        node.put("p", p);
    }
}
