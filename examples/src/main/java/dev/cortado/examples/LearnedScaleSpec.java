package dev.cortado.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.Backend;
import dev.cortado.model.JsonFields;
import dev.cortado.model.LayerSpec;
import dev.cortado.model.LayerType;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.tensor.Shape;

/**
 * {@link LearnedScale} in model specs: {@code {"type": "learned_scale"}}, its feature count taken from the layer
 * before. Its {@link Type} is registered with {@code java.util.ServiceLoader} in this module's
 * {@code META-INF/services/dev.cortado.model.LayerType}, so specs and checkpoints that name it can be read.
 */
public record LearnedScaleSpec() implements LayerSpec {
    static final String TYPE = "learned_scale";

    /** Reads the layer from specs; found by {@link java.util.ServiceLoader}. */
    public static final class Type implements LayerType {
        @Override
        public String name() {
            return TYPE;
        }

        @Override
        public LayerSpec read(JsonFields fields) {
            return new LearnedScaleSpec();
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 2) {
            throw new IllegalArgumentException("needs input [N, features], got " + input);
        }
        return input;
    }

    @Override
    public Layer build(Backend backend, Initializer init, Shape input) {
        return new LearnedScale(backend, outputShape(input).dim(1));
    }

    @Override
    public void writeFields(ObjectNode node) {
        // no settings: the feature count comes from the input
    }
}
