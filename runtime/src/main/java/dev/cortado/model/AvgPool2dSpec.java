package dev.cortado.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.Backend;
import dev.cortado.backend.PoolSpec;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.layers.AvgPool2d;
import dev.cortado.tensor.Shape;

/**
 * {@code {"type": "avgpool2d", "kernel": 2, "stride": 2, "padding": 0}}: average pooling over a square window;
 * stride defaults to the kernel and padding to 0.
 */
public record AvgPool2dSpec(int kernel, int stride, int padding) implements LayerSpec {
    static final String TYPE = "avgpool2d";

    public AvgPool2dSpec {
        PoolFields.validate(kernel, stride, padding);
    }

    static AvgPool2dSpec fromJson(JsonFields fields) {
        PoolFields.Window w = PoolFields.read(fields);
        return new AvgPool2dSpec(w.kernel(), w.stride(), w.padding());
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape input) {
        return PoolFields.outputShape(PoolSpec.Kind.AVG, input, kernel, stride, padding);
    }

    @Override
    public Layer build(Backend backend, Initializer init, Shape input) {
        outputShape(input);
        return new AvgPool2d(kernel, stride, padding);
    }

    @Override
    public void writeFields(ObjectNode node) {
        PoolFields.write(node, kernel, stride, padding);
    }
}
