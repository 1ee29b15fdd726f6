package dev.cortado.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.Backend;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.layers.Linear;
import dev.cortado.tensor.Shape;

/** {@code {"type": "linear", "out": 10}}: a fully connected layer on {@code (N, features)} input. */
public record LinearSpec(int out) implements LayerSpec {
    static final String TYPE = "linear";

    public LinearSpec {
        if (out < 1) {
            throw new IllegalArgumentException("out must be >= 1, got " + out);
        }
    }

    static LinearSpec fromJson(JsonFields fields) {
        return new LinearSpec(fields.requiredInt("out"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 2) {
            throw new IllegalArgumentException("needs input [N, features], got " + input
                    + (input.rank() > 2 ? ": put a flatten before it" : ""));
        }
        return Shape.of(input.dim(0), out);
    }

    /** The weight {@code (out, in)} and the bias. */
    @Override
    public long parameterCount(Shape input) {
        return ((long) input.dim(1) + 1) * out;
    }

    @Override
    public Layer build(Backend backend, Initializer init, Shape input) {
        outputShape(input);
        return new Linear(backend, init, input.dim(1), out);
    }

    @Override
    public void writeFields(ObjectNode node) {
        node.put("out", out);
    }
}
