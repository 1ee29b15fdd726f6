package dev.cortado.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.cortado.device.Device;
import dev.cortado.device.DeviceInfo;
import dev.cortado.tensor.MemoryOnlyBackend;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which layers the backward pass of a Sequential calls, and whether it asks them for input gradients; fusing pairs
 * as one.
 */
class SequentialTest {
    private final MemoryOnlyBackend backend = new MemoryOnlyBackend(
            DeviceInfo.available(Device.CPU, "test host", false, 0, 1, Map.of()));
    private final List<String> calls = new ArrayList<>();

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    /** A layer that records its backward calls and returns its own tensor as the input gradient. */
    private final class Recording implements Layer {
        private final String name;
        private final List<Parameter> parameters;
        private final Tensor gradient = backend.allocate(Shape.of(1));
        /** The name of the layer this one fuses with when that one follows it, or null. */
        private final String fusesWith;

        Recording(String name, boolean trainable) {
            this(name, trainable, null);
        }

        Recording(String name, boolean trainable, String fusesWith) {
            this.name = name;
            this.parameters = trainable ? List.of(Parameter.of("weight", backend.allocate(Shape.of(1)))) : List.of();
            this.fusesWith = fusesWith;
        }

        @Override
        public Layer fusedWith(Layer next) {
            return next instanceof Recording r && r.name.equals(fusesWith) ? new Recording(name + "+" + r.name, false)
                    : null;
        }

        @Override
        public String describe() {
            return name;
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public Tensor forward(Tensor x, Mode mode) {
            return x;
        }

        @Override
        public Tensor backward(Tensor dy, boolean inputGradient) {
            calls.add(name + (inputGradient ? " with input gradient" : " without"));
            return inputGradient ? gradient : null;
        }

        @Override
        public List<Parameter> parameters() {
            return parameters;
        }

        @Override
        public Layer evaluationCopy() {
            throw new UnsupportedOperationException("not needed by these tests");
        }

        @Override
        public void close() {
            gradient.close();
            parameters.forEach(Parameter::close);
        }
    }

    @Test
    void skipsTheLayersBeforeTheFirstOneWithParameters() {
        Tensor dy = backend.allocate(Shape.of(1));
        try (Sequential model = new Sequential(List.of(new Recording("flatten", false),
                new Recording("linear 1", true), new Recording("relu", false), new Recording("linear 2", true)))) {
            assertNull(model.backward(dy, false));
            assertEquals(List.of("linear 2 with input gradient", "relu with input gradient", "linear 1 without"),
                    calls);
        }
    }

    @Test
    void callsEveryLayerWhenTheInputGradientIsWanted() {
        Tensor dy = backend.allocate(Shape.of(1));
        Recording flatten = new Recording("flatten", false);
        try (Sequential model = new Sequential(List.of(flatten, new Recording("linear", true)))) {
            assertSame(flatten.gradient, model.backward(dy, true));
            assertEquals(List.of("linear with input gradient", "flatten with input gradient"), calls);
        }
    }

    @Test
    void runsAFusingPairAsOneStepAndNamesParametersByTheLayers() {
        Tensor dy = backend.allocate(Shape.of(1));
        try (Sequential model = new Sequential(List.of(new Recording("linear 1", true),
                new Recording("relu", false, "pool"), new Recording("pool", false), new Recording("linear 2", true)))) {
            assertNull(model.backward(dy, false));
            assertEquals(List.of("linear 2 with input gradient", "relu+pool with input gradient", "linear 1 without"),
                    calls);
            assertEquals(List.of("0.weight", "3.weight"), model.parameters().stream().map(Parameter::name).toList());
            assertEquals("Sequential(linear 1 -> relu -> pool -> linear 2)", model.describe());
        }
    }

    @Test
    void runsAFusionThatEndsAtTheFirstLayerWithParametersWithoutInputGradient() {
        Tensor dy = backend.allocate(Shape.of(1));
        try (Sequential model = new Sequential(List.of(new Recording("scale", false, "linear 1"),
                new Recording("linear 1", true), new Recording("linear 2", true)))) {
            assertNull(model.backward(dy, false));
            assertEquals(List.of("linear 2 with input gradient", "scale+linear 1 without"), calls);
        }
    }

    @Test
    void callsNoLayerOfAModelWithoutParameters() {
        Tensor dy = backend.allocate(Shape.of(1));
        try (Sequential model = new Sequential(List.of(new Recording("relu", false)))) {
            assertNull(model.backward(dy, false));
            assertEquals(List.of(), calls);
        }
    }
}
