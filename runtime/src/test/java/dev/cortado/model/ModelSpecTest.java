package dev.cortado.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.Activation;
import dev.cortado.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelSpecTest {

    private static String model(String layers) {
        return "{\"name\": \"m\", \"input\": [3, 8, 8], \"layers\": [" + layers + "]}";
    }

    private static void assertMessage(String json, String... parts) {
        assertFailsWith(() -> ModelSpec.parse(json), parts);
    }

    private static void assertFailsWith(Executable action, String... parts) {
        ModelSpecException e = assertThrows(ModelSpecException.class, action);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + part + "' not in: " + e.getMessage());
        }
    }

    @Test
    void mlpIsFlattenAndThreeLinearLayers() {
        ModelSpec mlp = ModelSpec.builtIn("mlp");
        assertEquals("mlp", mlp.name());
        assertEquals(Shape.of(1, 28, 28), mlp.input());
        assertEquals(List.of(new FlattenSpec(), new LinearSpec(256), ActivationSpec.relu(), new LinearSpec(128),
                ActivationSpec.relu(), new LinearSpec(10)), mlp.layers());
        assertEquals(Shape.of(4, 10), mlp.outputShape(4));
    }

    @Test
    void lenet5IsTheClassicConvolutionalNetwork() {
        ModelSpec lenet = ModelSpec.builtIn("lenet5");
        assertEquals(List.of(
                new Conv2dSpec(6, 5, 1, 2), ActivationSpec.relu(), Pool2dSpec.max(2, 2, 0),
                new Conv2dSpec(16, 5, 1, 0), ActivationSpec.relu(), Pool2dSpec.max(2, 2, 0),
                new FlattenSpec(), new LinearSpec(120), ActivationSpec.relu(), new LinearSpec(84), ActivationSpec.relu(),
                new LinearSpec(10)), lenet.layers());
        assertEquals(Shape.of(1, 10), lenet.outputShape(1));
    }

    @Test
    void unknownBuiltInListsTheBuiltIns() {
        assertFailsWith(() -> ModelSpec.builtIn("resnet"), "resnet", "mlp", "lenet5");
    }

    @Test
    void resnetsAreHeEtAlsCifarNetworks() {
        for (String name : List.of("resnet8", "resnet20")) {
            ModelSpec spec = ModelSpec.builtIn(name);
            int blocksPerStage = name.equals("resnet8") ? 1 : 3;
            // stem (conv, batchnorm, relu), 3 stages of blocks, global pooling, linear
            assertEquals(3 + 3 * blocksPerStage + 2, spec.layers().size(), name);
            List<ResidualSpec> blocks = spec.layers().stream().filter(ResidualSpec.class::isInstance)
                    .map(ResidualSpec.class::cast).toList();
            for (int i = 0; i < blocks.size(); i++) {
                int stage = i / blocksPerStage;
                boolean downsamples = stage > 0 && i % blocksPerStage == 0;
                Conv2dSpec first = (Conv2dSpec) blocks.get(i).main().get(0);
                assertEquals(16 << stage, first.out(), name + " block " + i + " channels");
                assertEquals(downsamples ? 2 : 1, first.stride(), name + " block " + i + " stride");
                assertEquals(downsamples, !blocks.get(i).shortcut().isEmpty(), name + " block " + i + " shortcut");
            }
            assertEquals(Shape.of(4, 64, 7, 7), ModelSpec.of("features", spec.input(),
                    spec.layers().subList(0, spec.layers().size() - 2).toArray(LayerSpec[]::new)).outputShape(4));
            assertEquals(Shape.of(4, 10), spec.outputShape(4));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet5", "resnet8", "resnet20"})
    void builtInsTakeOtherInputShapes(String name) {
        ModelSpec cifar = ModelSpec.builtIn(name, Shape.of(3, 32, 32));
        assertEquals(Shape.of(3, 32, 32), cifar.input());
        assertEquals(ModelSpec.builtIn(name).layers(), cifar.layers());
        assertEquals(Shape.of(2, 10), cifar.outputShape(2));
    }

    @Test
    void aBuiltInRejectsInputsItsLayersDoNotTake() {
        assertFailsWith(() -> ModelSpec.builtIn("lenet5", Shape.of(1, 8, 8)), "model 'lenet5'", "layers[3] (conv2d)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet5", "resnet8", "resnet20"})
    void builtInsRoundTrip(String name) {
        ModelSpec spec = ModelSpec.builtIn(name);
        assertEquals(spec, ModelSpec.parse(spec.toJson()));
    }

    @Test
    void everyLayerTypeRoundTrips() {
        ModelSpec spec = new ModelSpec("all", Shape.of(2, 11, 9), List.of(
                new Conv2dSpec(4, 3, 2, 2, 1, 2, false), new BatchNormSpec(), ActivationSpec.leakyRelu(0.2f),
                new ResidualSpec(List.of(new Conv2dSpec(4, 3, 3, 1, 1, 1, true, 2), ActivationSpec.gelu(),
                        new Conv2dSpec(4, 3, 3, 1, 1, 1, false, 4)), List.of(), Activation.SILU),
                new ResidualSpec(List.of(new Conv2dSpec(6, 3, 3, 2, 1, 1, false)),
                        List.of(new Conv2dSpec(6, 1, 2, 0), new BatchNormSpec()), Activation.RELU),
                Pool2dSpec.max(3, 1, 1), Pool2dSpec.avg(2, 2, 0), ActivationSpec.sigmoid(), ActivationSpec.tanh(),
                ActivationSpec.silu(), new FlattenSpec(), new DropoutSpec(0.35f), new LinearSpec(7), new BatchNormSpec(), ActivationSpec.relu(),
                new LinearSpec(1)));
        ModelSpec pooled = ModelSpec.of("pooled", Shape.of(3, 5, 5), new GlobalAvgPoolSpec(), new LinearSpec(2));
        assertEquals(pooled, ModelSpec.parse(pooled.toJson()));
        String json = spec.toJson();
        assertEquals(spec, ModelSpec.parse(json));
        assertEquals(Shape.of(5, 1), spec.outputShape(5));
        for (String type : LayerTypes.BUILT_INS) {
            assertTrue((json + pooled.toJson()).contains("\"" + type + "\""), type + " missing from " + json);
        }
    }

    @Test
    void defaultsApplyWhenSettingsAreLeftOut() {
        ModelSpec spec = ModelSpec.parse(model("""
                {"type": "conv2d", "out": 2, "kernel": [3, 1]}, {"type": "maxpool2d", "kernel": 2},
                {"type": "leaky_relu"}, {"type": "avgpool2d", "kernel": 3, "padding": 1}"""));
        assertEquals(List.of(new Conv2dSpec(2, 3, 1, 1, 0, 1, true), Pool2dSpec.max(2, 2, 0),
                ActivationSpec.leakyRelu(0.01f), Pool2dSpec.avg(3, 3, 1)), spec.layers());
        assertEquals(Shape.of(1, 2, 1, 2), spec.outputShape(1));
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        assertMessage("{\"name\": \"m\",\n  \"input\": [1, 2]\n  \"layers\": []}", "malformed JSON",
                "line 3, column 3");
        assertMessage("{\"name\": \"m\", \"name\": \"n\"}", "malformed JSON", "Duplicate field 'name'");
        assertMessage("{\"name\": \"m\"} x", "malformed JSON", "line 1");
        assertMessage("", "empty");
    }

    @Test
    void unknownTypesAndFieldsNameTheLayer() {
        assertMessage(model("{\"type\": \"flatten\"}, {\"type\": \"lstm\"}"), "layers[1] (lstm)",
                "unknown layer type 'lstm'", "linear");
        assertMessage(model("{\"type\": \"flatten\"}, {\"type\": \"linear\", \"out\": 3, \"outs\": 4}"),
                "layers[1] (linear)", "unknown field 'outs'");
        assertMessage(model("{\"out\": 3}"), "layers[0]", "missing field 'type'");
        assertMessage(model("3"), "layers[0]", "expected a JSON object");
        assertMessage("{\"name\": \"m\", \"input\": [3], \"layers\": [], \"extra\": 1}", "unknown field 'extra'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"type\": \"conv2d\", \"out\": 4, \"kernel\": 0}                 | layers[0] (conv2d) | kernel must be >= 1",
        "{\"type\": \"conv2d\", \"out\": 4, \"kernel\": 3, \"stride\": 0}  | layers[0] (conv2d) | stride must be >= 1",
        "{\"type\": \"conv2d\", \"out\": 4, \"kernel\": 2.5}               | layers[0] (conv2d) | must be an integer",
        "{\"type\": \"conv2d\", \"out\": 4, \"kernel\": [1, 2, 3]}         | layers[0] (conv2d) | [height, width]",
        "{\"type\": \"conv2d\", \"kernel\": 3}                             | layers[0] (conv2d) | missing field 'out'",
        "{\"type\": \"conv2d\", \"out\": 4, \"kernel\": 9}                 | layers[0] (conv2d) | does not fit",
        "{\"type\": \"maxpool2d\", \"kernel\": 2, \"padding\": 2}          | layers[0] (maxpool2d) | padding",
        "{\"type\": \"flatten\"}, {\"type\": \"dropout\", \"p\": 1}        | layers[1] (dropout) | p must be in [0, 1)",
        "{\"type\": \"dropout\", \"p\": \"half\"}                          | layers[0] (dropout) | must be a number",
        "{\"type\": \"linear\", \"out\": 10}                               | layers[0] (linear) | flatten",
        "{\"type\": \"flatten\"}, {\"type\": \"linear\", \"out\": 0}       | layers[1] (linear) | out must be >= 1",
        "{\"type\": \"flatten\"}, {\"type\": \"maxpool2d\", \"kernel\": 2} | layers[1] (maxpool2d) | [N, C, H, W]",
        "{\"type\": \"leaky_relu\", \"slope\": true}                       | layers[0] (leaky_relu) | must be a number",
        "{\"type\": \"conv2d\", \"out\": 4, \"kernel\": 3, \"bias\": 1}    | layers[0] (conv2d) | true or false",
        "{\"type\": \"conv2d\", \"out\": 4, \"kernel\": 3, \"groups\": 3} | layers[0] (conv2d) | divide out (4)",
        "{\"type\": \"conv2d\", \"out\": 4, \"kernel\": 3, \"groups\": 2} | layers[0] (conv2d) | input channels in multiples of 2",
        "{\"type\": \"global_avgpool\"}, {\"type\": \"global_avgpool\"} | layers[1] (global_avgpool) | [N, C, H, W]",
        "{\"type\": \"residual\"}                                        | layers[0] (residual) | missing field 'main'",
        "{\"type\": \"residual\", \"main\": []}                          | layers[0] (residual) | at least one layer",
        "{\"type\": \"residual\", \"main\": {\"type\": \"relu\"}}        | layers[0] (residual) | field 'main' must be an array",
        "{\"type\": \"residual\", \"main\": [{\"type\": \"relu\"}], \"activation\": \"swish\"} | layers[0] (residual) | must be one of relu",
        "{\"type\": \"residual\", \"main\": [{\"type\": \"relu\"}, {\"type\": \"conv2d\", \"out\": 4}]} | layers[0] (residual): main[1] (conv2d) | missing field 'kernel'",
        "{\"type\": \"residual\", \"main\": [{\"type\": \"conv2d\", \"out\": 4, \"kernel\": 9}]} | layers[0] (residual): main[0] (conv2d) | does not fit",
        "{\"type\": \"residual\", \"main\": [{\"type\": \"conv2d\", \"out\": 4, \"kernel\": 1}]} | layers[0] (residual) | the main branch gives [1, 4, 8, 8] but the shortcut (the identity) gives [1, 3, 8, 8]: give it a shortcut",
        "{\"type\": \"residual\", \"main\": [{\"type\": \"relu\"}], \"shortcut\": [{\"type\": \"maxpool2d\", \"kernel\": 2}]} | layers[0] (residual) | but the shortcut gives [1, 3, 4, 4]",
    })
    void badValuesNameTheLayer(String layers, String where, String why) {
        assertMessage(model(layers), where, why);
    }

    @Test
    void badTopLevelFieldsAreNamed() {
        assertMessage("{\"input\": [1], \"layers\": [{\"type\": \"relu\"}]}", "missing field 'name'");
        assertMessage("{\"name\": \"m\", \"input\": [0, 3], \"layers\": [{\"type\": \"relu\"}]}", "positive");
        assertMessage("{\"name\": \"m\", \"input\": 5, \"layers\": [{\"type\": \"relu\"}]}", "sample shape");
        assertMessage("{\"name\": \"m\", \"input\": [5], \"layers\": {}}", "'layers' must be an array");
        assertMessage("{\"name\": \"m\", \"input\": [5], \"layers\": []}", "no layers");
    }

    @Test
    void readNamesTheFile(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("tiny.json");
        Files.writeString(good, model("{\"type\": \"flatten\"}, {\"type\": \"linear\", \"out\": 2}"));
        assertEquals(Shape.of(3, 2), ModelSpec.read(good).outputShape(3));
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, model("{\"type\": \"linear\", \"out\": 2}"));
        assertFailsWith(() -> ModelSpec.read(bad), "bad.json", "layers[0] (linear)");
        assertFailsWith(() -> ModelSpec.read(dir.resolve("missing.json")), "missing.json");
    }
}
