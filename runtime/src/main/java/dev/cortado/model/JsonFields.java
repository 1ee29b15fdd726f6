package dev.cortado.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Typed access to the fields of one JSON object that remembers which fields were read, so that a misspelt field
 * is reported instead of silently ignored. Errors are {@link IllegalArgumentException}s naming the field. A
 * {@link LayerType} reads its layer's settings through it.
 */
public final class JsonFields {
    private final JsonNode object;
    private final Set<String> read = new HashSet<>();

    JsonFields(JsonNode object) {
        if (!object.isObject()) {
            throw new IllegalArgumentException("expected a JSON object, got " + describe(object));
        }
        this.object = object;
    }

    /** The field's node, or null when absent or JSON null. */
    public JsonNode optional(String name) {
        read.add(name);
        JsonNode node = object.get(name);
        return node == null || node.isNull() ? null : node;
    }

    /** The field's node; an error naming the field when it is absent. */
    public JsonNode required(String name) {
        JsonNode node = optional(name);
        if (node == null) {
            throw new IllegalArgumentException("missing field '" + name + "'");
        }
        return node;
    }

    /** A string field that must be present. */
    public String requiredString(String name) {
        JsonNode node = required(name);
        if (!node.isTextual()) {
            throw new IllegalArgumentException("field '" + name + "' must be a string, got " + describe(node));
        }
        return node.textValue();
    }

    /** A string field, or {@code fallback} when absent. */
    public String optionalString(String name, String fallback) {
        JsonNode node = optional(name);
        if (node == null) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException("field '" + name + "' must be a string, got " + describe(node));
        }
        return node.textValue();
    }

    /**
     * A field holding an array of nested layers, each read through the {@link LayerTypes} registry, as a block
     * that holds layers of its own reads them.
     *
     * @throws IllegalArgumentException when the field is missing or not an array, or naming the first layer that
     *     is wrong as {@code name[i] (type): why}
     */
    public List<LayerSpec> layers(String name) {
        JsonNode array = required(name);
        if (!array.isArray()) {
            throw new IllegalArgumentException("field '" + name + "' must be an array, got " + describe(array));
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode node = array.get(i);
            try {
                layers.add(LayerSpec.fromJson(new JsonFields(node)));
            } catch (IllegalArgumentException e) {
                JsonNode type = node.get("type");
                throw new IllegalArgumentException(name + "[" + i + "]"
                        + (type != null && type.isTextual() ? " (" + type.textValue() + ")" : "") + ": "
                        + e.getMessage(), e);
            }
        }
        return layers;
    }

    /** As {@link #layers}, or an empty list when the field is absent. */
    public List<LayerSpec> optionalLayers(String name) {
        return optional(name) == null ? List.of() : layers(name);
    }

    /** Writes layers as an array field that {@link #layers} reads back: each a {@code "type"} and its settings. */
    public static void putLayers(ObjectNode node, String name, List<LayerSpec> layers) {
        ArrayNode array = node.putArray(name);
        for (LayerSpec layer : layers) {
            ObjectNode element = array.addObject();
            element.put("type", layer.type());
            layer.writeFields(element);
        }
    }

    /** An integer field that must be present. */
    public int requiredInt(String name) {
        return toInt(name, required(name));
    }

    /** An integer field, or {@code fallback} when absent. */
    public int optionalInt(String name, int fallback) {
        JsonNode node = optional(name);
        return node == null ? fallback : toInt(name, node);
    }

    /** A number field that must be present. */
    public float requiredFloat(String name) {
        return toFloat(name, required(name));
    }

    /** A number field, or {@code fallback} when absent. */
    public float optionalFloat(String name, float fallback) {
        JsonNode node = optional(name);
        return node == null ? fallback : toFloat(name, node);
    }

    private static float toFloat(String name, JsonNode node) {
        if (!node.isNumber()) {
            throw new IllegalArgumentException("field '" + name + "' must be a number, got " + describe(node));
        }
        return node.floatValue();
    }

    /** A true/false field, or {@code fallback} when absent. */
    public boolean optionalBoolean(String name, boolean fallback) {
        JsonNode node = optional(name);
        if (node == null) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw new IllegalArgumentException("field '" + name + "' must be true or false, got " + describe(node));
        }
        return node.booleanValue();
    }

    /** The node as an int, or an error naming the field when it is not an integer that fits one. */
    static int toInt(String name, JsonNode node) {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new IllegalArgumentException("field '" + name + "' must be an integer, got " + describe(node));
        }
        return node.intValue();
    }

    /** Throws naming the first field that no getter asked for. */
    void rejectUnknown() {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!read.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            List<String> known = new ArrayList<>(read);
            known.sort(null);
            throw new IllegalArgumentException("unknown field" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown.stream().map(u -> "'" + u + "'").toList())
                    + " (known: " + String.join(", ", known) + ")");
        }
    }

    static String describe(JsonNode node) {
        String text = node.toString();
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}
