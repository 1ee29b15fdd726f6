package dev.cortado.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.Backend;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.layers.ActivationLayer;
import dev.cortado.tensor.Shape;

/** {@code {"type": "leaky_relu", "slope": 0.01}}: x for positive x, else slope*x; slope defaults to 0.01. */
public record LeakyReluSpec(float slope) implements LayerSpec {
    static final String TYPE = "leaky_relu";

    public LeakyReluSpec {
        if (!Float.isFinite(slope)) {
            throw new IllegalArgumentException("slope must be a finite number, got " + slope);
        }
    }

    static LeakyReluSpec fromJson(JsonFields fields) {
        return new LeakyReluSpec(fields.optionalFloat("slope", ActivationLayer.DEFAULT_SLOPE));
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
        return ActivationLayer.leakyRelu(slope);
    }

    @Override
    public void writeFields(ObjectNode node) {
        node.put("slope", slope);
    }
}
