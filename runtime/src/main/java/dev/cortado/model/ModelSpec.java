package dev.cortado.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.backend.Backend;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A model's architecture as data: a name, the shape of one input sample (e.g. {@code [1, 28, 28]}) and the
 * layers in order. Layers state only their own settings; input sizes follow from the previous layer's output,
 * so a spec that is constructed at all describes a model whose shapes fit. In JSON:
 *
 * <pre>{@code
 * {"name": "mlp", "input": [1, 28, 28],
 *  "layers": [{"type": "flatten"}, {"type": "linear", "out": 256}, {"type": "relu"}, ...]}
 * }</pre>
 *
 * A checkpoint stores {@link #toJson()}, which {@link #parse} reads back to an equal spec.
 *
 * @param name a name for messages and files
 * @param input the shape of one sample, without the batch dimension
 * @param layers the layers, first to last
 */
public record ModelSpec(String name, Shape input, List<LayerSpec> layers) {
    /**
     * The models shipped as resources, by name: an MLP, LeNet-5, and the CIFAR-style ResNets of He et al. (2016)
     * with 1 and 3 residual blocks per stage (8 and 20 layers), all for 1x28x28 inputs and 10 classes;
     * {@link #builtIn(String, Shape)} makes them for other inputs.
     */
    public static final List<String> BUILT_INS = List.of("mlp", "lenet5", "resnet8", "resnet20");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * Checks that every layer accepts the shape the one before it produces.
     *
     * @throws ModelSpecException naming the first layer (by index) that does not fit
     */
    public ModelSpec {
        if (name == null || name.isBlank()) {
            throw new ModelSpecException("the model name must not be empty");
        }
        if (input.rank() < 1 || input.size() < 1) {
            throw new ModelSpecException("model '" + name + "': input must be a non-empty sample shape, got "
                    + input);
        }
        if (layers.isEmpty()) {
            throw new ModelSpecException("model '" + name + "': no layers");
        }
        layers = List.copyOf(layers);
        String misfit = firstMisfit(input, layers);
        if (misfit != null) {
            throw new ModelSpecException("model '" + name + "': " + misfit);
        }
    }

    /** Why the first layer that does not accept its input fails, naming its index, or null when all fit. */
    private static String firstMisfit(Shape input, List<LayerSpec> layers) {
        try {
            LayerChain.outputShape("layers", input.prepend(1), layers);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * A spec written in code, e.g. {@code ModelSpec.of("mlp", Shape.of(1, 28, 28), flatten(), linear(128),
     * relu(), linear(10))} with the factories of {@link LayerSpec}.
     *
     * @throws ModelSpecException naming the first layer that does not fit the shape before it
     */
    public static ModelSpec of(String name, Shape input, LayerSpec... layers) {
        return new ModelSpec(name, input, List.of(layers));
    }

    /**
     * Reads a spec from JSON text.
     *
     * @throws ModelSpecException for malformed JSON (naming line and column), a missing or unknown field or
     *     layer type, a bad value or shapes that do not fit (naming the layer's index)
     */
    public static ModelSpec parse(String json) {
        return parse(json, "model spec");
    }

    /** Reads a spec from a JSON file; errors name the file. */
    public static ModelSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelSpecException("cannot read model spec " + file + ": " + e, e);
        }
        return parse(text, "model spec " + file);
    }

    /**
     * One of the {@link #BUILT_INS}.
     *
     * @throws ModelSpecException for an unknown name, listing the built-ins
     */
    public static ModelSpec builtIn(String name) {
        if (!BUILT_INS.contains(name)) {
            throw new ModelSpecException("unknown built-in model '" + name + "'; built-ins: "
                    + String.join(", ", BUILT_INS));
        }
        String resource = name + ".json";
        try (InputStream in = ModelSpec.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("built-in model resource " + resource + " is missing from the jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in model " + name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in model " + name, e);
        }
    }

    /**
     * One of the {@link #BUILT_INS} for samples of another shape, e.g. {@code builtIn("resnet20", Shape.of(3, 32,
     * 32))} for CIFAR-10: the layers take their sizes from the input (the ResNets' stem and stages do not depend on
     * it, and global pooling gives their linear layer 64 features whatever the image size).
     *
     * @throws ModelSpecException for an unknown name, or an input the model's layers do not accept
     */
    public static ModelSpec builtIn(String name, Shape input) {
        return builtIn(name).withInput(input);
    }

    /**
     * This model for samples of another shape, the layers unchanged.
     *
     * @throws ModelSpecException naming the first layer that does not accept the new input
     */
    public ModelSpec withInput(Shape newInput) {
        return new ModelSpec(name, newInput, layers);
    }

    private static ModelSpec parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new ModelSpecException(source + ": malformed JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new ModelSpecException(source + ": empty document");
        }
        String name;
        Shape input;
        List<LayerSpec> layers;
        try {
            JsonFields fields = new JsonFields(root);
            name = fields.requiredString("name");
            input = readShape(fields.required("input"));
            layers = fields.layers("layers");
            fields.rejectUnknown();
        } catch (IllegalArgumentException e) {
            throw new ModelSpecException(source + ": " + e.getMessage(), e);
        }
        String misfit = firstMisfit(input, layers);
        if (misfit != null) {
            throw new ModelSpecException(source + ": " + misfit);
        }
        try {
            return new ModelSpec(name, input, layers);
        } catch (ModelSpecException e) {
            throw new ModelSpecException(source + ": " + e.getMessage(), e);
        }
    }

    private static Shape readShape(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException("field 'input' must be a sample shape such as [1, 28, 28], got "
                    + JsonFields.describe(node));
        }
        int[] dims = new int[node.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = JsonFields.toInt("input", node.get(i));
            if (dims[i] < 1) {
                throw new IllegalArgumentException("field 'input' must have positive dimensions, got " + node);
            }
        }
        return Shape.of(dims);
    }

    /** This spec as pretty-printed JSON, which {@link #parse} reads back to an equal spec. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", name);
        ArrayNode shape = root.putArray("input");
        for (int d : input.dims()) {
            shape.add(d);
        }
        JsonFields.putLayers(root, "layers", layers);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    /** The model's output shape for a batch of {@code batch} samples, e.g. {@code [batch, 10]}. */
    public Shape outputShape(int batch) {
        Shape shape = input.prepend(batch);
        for (LayerSpec layer : layers) {
            shape = layer.outputShape(shape);
        }
        return shape;
    }

    /**
     * Builds the model on a backend. Parameters are drawn from {@code new Initializer(seed)} layer by layer in
     * order, so a seed gives the same initial model on every device.
     */
    public Sequential build(Backend backend, long seed) {
        return LayerChain.build(layers, backend, new Initializer(seed), input.prepend(1));
    }
}
