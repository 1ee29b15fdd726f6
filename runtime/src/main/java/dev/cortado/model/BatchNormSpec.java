package dev.cortado.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.Backend;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.layers.BatchNorm;
import dev.cortado.tensor.Shape;

/**
 * {@code {"type": "batchnorm"}}: batch normalization over the features of {@code (N, F)} or {@code (N, C, L)}
 * input (BatchNorm1d) or the channels of {@code (N, C, H, W)} input (BatchNorm2d), chosen from the input's rank.
 */
public record BatchNormSpec() implements LayerSpec {
    static final String TYPE = "batchnorm";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() < 2 || input.rank() > 4) {
            throw new IllegalArgumentException("needs input [N, F], [N, C, L] or [N, C, H, W], got " + input);
        }
        return input;
    }

    /** A scale and a shift per feature or channel. */
    @Override
    public long parameterCount(Shape input) {
        return 2L * input.dim(1);
    }

    @Override
    public Layer build(Backend backend, Initializer init, Shape input) {
        outputShape(input);
        return input.rank() < 4 ? BatchNorm.of1d(backend, input.dim(1))
                : BatchNorm.of2d(backend, input.dim(1));
    }

    @Override
    public void writeFields(ObjectNode node) {
        // no settings
    }
}
