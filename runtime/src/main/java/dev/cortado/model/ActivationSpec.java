package dev.cortado.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.Activation;
import dev.cortado.backend.Backend;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Layer;
import dev.cortado.nn.layers.ActivationLayer;
import dev.cortado.tensor.Shape;
import java.util.Locale;

/**
 * An element-wise activation on any shape: {@code {"type": "relu"}}, {@code {"type": "sigmoid"}},
 * {@code {"type": "tanh"}}, {@code {"type": "gelu"}} (the exact form), {@code {"type": "silu"}} or
 * {@code {"type": "leaky_relu", "slope": 0.01}} (x for positive x, else slope*x; the slope defaults to 0.01 and
 * belongs to LeakyReLU only).
 *
 * @param function the activation
 * @param slope LeakyReLU's negative slope; 0 for the others
 */
public record ActivationSpec(Activation function, float slope) implements LayerSpec {

    public ActivationSpec {
        if (!Float.isFinite(slope)) {
            throw new IllegalArgumentException("slope must be a finite number, got " + slope);
        }
        if (function != Activation.LEAKY_RELU && slope != 0f) {
            throw new IllegalArgumentException(type(function) + " takes no slope");
        }
    }

    public static ActivationSpec relu() {
        return new ActivationSpec(Activation.RELU, 0f);
    }

    public static ActivationSpec leakyRelu(float slope) {
        return new ActivationSpec(Activation.LEAKY_RELU, slope);
    }

    public static ActivationSpec sigmoid() {
        return new ActivationSpec(Activation.SIGMOID, 0f);
    }

    public static ActivationSpec tanh() {
        return new ActivationSpec(Activation.TANH, 0f);
    }

    public static ActivationSpec gelu() {
        return new ActivationSpec(Activation.GELU, 0f);
    }

    public static ActivationSpec silu() {
        return new ActivationSpec(Activation.SILU, 0f);
    }

    /** The JSON type of an activation: its name in lower case ({@code relu}, {@code leaky_relu}, ...). */
    static String type(Activation function) {
        return function.name().toLowerCase(Locale.ROOT);
    }

    static ActivationSpec fromJson(Activation function, JsonFields fields) {
        float slope = function == Activation.LEAKY_RELU
                ? fields.optionalFloat("slope", ActivationLayer.DEFAULT_SLOPE) : 0f;
        return new ActivationSpec(function, slope);
    }

    @Override
    public String type() {
        return type(function);
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public Layer build(Backend backend, Initializer init, Shape input) {
        return ActivationLayer.of(function, slope);
    }

    @Override
    public void writeFields(ObjectNode node) {
        if (function == Activation.LEAKY_RELU) {
            node.put("slope", slope);
        }
    }
}
