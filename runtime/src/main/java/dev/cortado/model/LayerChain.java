package dev.cortado.model;

import dev.cortado.backend.Backend;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/** A list of layer specs applied in order: a model's layers, or a branch of a residual block. */
final class LayerChain {
    private LayerChain() {
    }

    /**
     * The shape the layers produce from {@code input} (with the batch dimension).
     *
     * @throws IllegalArgumentException naming the first layer that does not fit, or whose output is too large, as
     *     {@code field[i] (type)}
     */
    static Shape outputShape(String field, Shape input, List<LayerSpec> layers) {
        Shape shape = input;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            try {
                shape = layer.outputShape(shape);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + "[" + i + "] (" + layer.type() + "): " + e.getMessage(), e);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(field + "[" + i + "] (" + layer.type() + "): its output for one "
                        + "sample of input " + shape + " has more values than a tensor can hold (" + e.getMessage()
                        + ")", e);
            }
        }
        return shape;
    }

    /** Builds the layers, in order, for inputs of {@code input}'s shape, drawing parameters from {@code init}. */
    static Sequential build(List<LayerSpec> layers, Backend backend, Initializer init, Shape input) {
        List<Layer> built = new ArrayList<>();
        Shape shape = input;
        try {
            for (LayerSpec layer : layers) {
                built.add(layer.build(backend, init, shape));
                shape = layer.outputShape(shape);
            }
        } catch (RuntimeException e) {
            built.forEach(Layer::close);
            throw e;
        }
        return new Sequential(built);
    }
}
