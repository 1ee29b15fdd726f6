package dev.cortado.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.Backend;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.layers.GlobalAvgPool;
import dev.cortado.tensor.Shape;

/** {@code {"type": "global_avgpool"}}: the mean of each channel, {@code (N, C, H, W) -> (N, C)}. */
public record GlobalAvgPoolSpec() implements LayerSpec {
    static final String TYPE = "global_avgpool";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException("needs input [N, C, H, W], got " + input);
        }
        return Shape.of(input.dim(0), input.dim(1));
    }

    @Override
    public Layer build(Backend backend, Initializer init, Shape input) {
        outputShape(input);
        return new GlobalAvgPool();
    }

    @Override
    public void writeFields(ObjectNode node) {
        // no settings
    }
}
