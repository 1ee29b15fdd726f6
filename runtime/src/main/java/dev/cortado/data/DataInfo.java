package dev.cortado.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a model keeps of the data it was trained on, so that it reads new inputs as it read those and can name its
 * outputs: the class names and the {@link Preprocessing}. Checkpoints carry it as string metadata, each entry only
 * when there is something to say: {@code classes} (a JSON array of names), {@code normalization}
 * ({@code {"mean": [...], "std": [...]}}, floats written so that they read back bit for bit) and
 * {@code augmentation} ({@code {"crop_padding": 4, "horizontal_flip": true}}).
 *
 * @param classNames the class names by index, or empty when unnamed (or a regression)
 * @param preprocessing what was done to the samples on their way to the model
 */
public record DataInfo(List<String> classNames, Preprocessing preprocessing) {
    /** Nothing known: unnamed classes, inputs as stored. */
    public static final DataInfo NONE = new DataInfo(List.of(), Preprocessing.NONE);

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    public DataInfo {
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(preprocessing, "preprocessing");
    }

    /** The class names and preprocessing of a dataset. */
    public static DataInfo of(Dataset data) {
        return new DataInfo(data.targets().classNames(), data.preprocessing());
    }

    /** The name of class {@code index}, or the index as a number when there are no names (or too few). */
    public String className(int index) {
        return index < classNames.size() ? classNames.get(index) : Integer.toString(index);
    }

    /**
     * What in {@code now} differs from this in what a resumed run computes, as {@code name: this vs now}: the
     * preprocessing, and the class names when both have them (files written before class names were stored
     * have none).
     */
    public List<String> differencesFrom(DataInfo now) {
        List<String> differences = new ArrayList<>();
        Preprocessing mine = preprocessing;
        Preprocessing theirs = now.preprocessing;
        if (!Objects.equals(mine.normalization(), theirs.normalization())) {
            differences.add("normalization: " + describe(mine.normalization()) + " vs "
                    + describe(theirs.normalization()));
        }
        if (!Objects.equals(mine.augmentation(), theirs.augmentation())) {
            differences.add("augmentation: " + (mine.augmentation() == null ? "none" : mine.augmentation().describe())
                    + " vs " + (theirs.augmentation() == null ? "none" : theirs.augmentation().describe()));
        }
        if (!classNames.isEmpty() && !now.classNames.isEmpty() && !classNames.equals(now.classNames)) {
            differences.add("classes: " + classNames + " vs " + now.classNames);
        }
        return differences;
    }

    /** The metadata entries of this; see the class comment. */
    public Map<String, String> toMetadata() {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (!classNames.isEmpty()) {
            ArrayNode names = JSON.createArrayNode();
            classNames.forEach(names::add);
            metadata.put("classes", names.toString());
        }
        Normalization n = preprocessing.normalization();
        if (n != null) {
            ObjectNode node = JSON.createObjectNode();
            floats(node.putArray("mean"), n.mean());
            floats(node.putArray("std"), n.std());
            metadata.put("normalization", node.toString());
        }
        Augmentation a = preprocessing.augmentation();
        if (a != null) {
            ObjectNode node = JSON.createObjectNode();
            node.put("crop_padding", a.padding());
            node.put("horizontal_flip", a.horizontalFlip());
            metadata.put("augmentation", node.toString());
        }
        return metadata;
    }

    /**
     * Reads what {@link #toMetadata} wrote; absent entries are absent information.
     *
     * @throws IllegalArgumentException naming the entry that is malformed
     */
    public static DataInfo fromMetadata(Map<String, String> metadata) {
        List<String> names = new ArrayList<>();
        Normalization normalization = null;
        Augmentation augmentation = null;
        String entry = "classes";
        try {
            if (metadata.containsKey(entry)) {
                for (JsonNode name : array(JSON.readTree(metadata.get(entry)), entry)) {
                    names.add(name.asText());
                }
            }
            entry = "normalization";
            if (metadata.containsKey(entry)) {
                JsonNode node = JSON.readTree(metadata.get(entry));
                normalization = new Normalization(floats(array(node.path("mean"), "mean")),
                        floats(array(node.path("std"), "std")));
            }
            entry = "augmentation";
            if (metadata.containsKey(entry)) {
                JsonNode node = JSON.readTree(metadata.get(entry));
                augmentation = new Augmentation(node.path("crop_padding").asInt(-1),
                        node.path("horizontal_flip").asBoolean());
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + entry + "' entry: " + e.getMessage(), e);
        }
        return new DataInfo(names, new Preprocessing(normalization, augmentation));
    }

    private static String describe(Normalization n) {
        return n == null ? "none" : n.describe();
    }

    private static JsonNode array(JsonNode node, String name) {
        if (!node.isArray()) {
            throw new IllegalArgumentException("'" + name + "' is not an array");
        }
        return node;
    }

    private static void floats(ArrayNode array, float[] values) {
        for (float v : values) {
            array.add(v);
        }
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = array.get(i);
            if (!v.isNumber()) {
                throw new IllegalArgumentException(v + " is not a number");
            }
            // The decimal text as written, rounded once to float: the value that was written.
            values[i] = Float.parseFloat(v.decimalValue().toString());
        }
        return values;
    }
}
