package dev.cortado.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.Backend;
import dev.cortado.backend.PoolSpec;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.layers.MaxPool2d;
import dev.cortado.tensor.Shape;

/**
 * {@code {"type": "maxpool2d", "kernel": 2, "stride": 2, "padding": 0}}: max pooling over a square window;
 * stride defaults to the kernel and padding to 0.
 */
public record MaxPool2dSpec(int kernel, int stride, int padding) implements LayerSpec {
    static final String TYPE = "maxpool2d";

    public MaxPool2dSpec {
        PoolFields.validate(kernel, stride, padding);
    }

    static MaxPool2dSpec fromJson(JsonFields fields) {
        PoolFields.Window w = PoolFields.read(fields);
        return new MaxPool2dSpec(w.kernel(), w.stride(), w.padding());
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape input) {
        return PoolFields.outputShape(PoolSpec.Kind.MAX, input, kernel, stride, padding);
    }

    @Override
    public Layer build(Backend backend, Initializer init, Shape input) {
        outputShape(input);
        return new MaxPool2d(kernel, stride, padding);
    }

    @Override
    public void writeFields(ObjectNode node) {
        PoolFields.write(node, kernel, stride, padding);
    }
}
