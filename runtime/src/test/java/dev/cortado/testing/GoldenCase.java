package dev.cortado.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cortado.backend.Backend;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * One fixture written by {@code tools/make_golden.py}: settings and named float32 tensors computed by PyTorch.
 */
final class GoldenCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String name;
    private final JsonNode root;

    private GoldenCase(String name, JsonNode root) {
        this.name = name;
        this.root = root;
    }

    static GoldenCase load(String name) {
        String resource = "/dev/cortado/golden/" + name + ".json";
        try (InputStream in = GoldenCase.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing golden fixture " + resource
                        + " (run tools/make_golden.py)");
            }
            return new GoldenCase(name, JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable golden fixture " + resource, e);
        }
    }

    String name() {
        return name;
    }

    JsonNode settings() {
        return root.path("settings");
    }

    int setting(String key) {
        return settings().path(key).asInt();
    }

    float floatSetting(String key) {
        return (float) settings().path(key).asDouble();
    }

    Shape shape(String tensor) {
        JsonNode dims = node(tensor).path("shape");
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).asInt();
        }
        return Shape.of(shape);
    }

    float[] values(String tensor) {
        JsonNode data = node(tensor).path("data");
        float[] values = new float[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) data.get(i).asDouble();
        }
        return values;
    }

    /** Uploads a fixture tensor with its shape. */
    Tensor upload(Backend backend, String tensor) {
        return backend.upload(shape(tensor), values(tensor));
    }

    /** Overwrites an existing device tensor (a parameter, a buffer) with a fixture tensor of the same size. */
    void copyInto(String tensor, Tensor target) {
        float[] values = values(tensor);
        if (values.length != target.size()) {
            throw new IllegalArgumentException(name + ": " + tensor + " has " + values.length + " values, target "
                    + target.shape() + " has " + target.size());
        }
        target.backend().upload(values, 0, target);
    }

    private JsonNode node(String tensor) {
        JsonNode node = root.path("tensors").path(tensor);
        if (node.isMissingNode()) {
            throw new IllegalArgumentException(name + ": no tensor '" + tensor + "' in the fixture");
        }
        return node;
    }
}
