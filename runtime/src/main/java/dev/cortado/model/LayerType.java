package dev.cortado.model;

/**
 * A kind of layer as model specs name it: its JSON {@code "type"} and how to read its settings. The built-in layers
 * have one each; a layer of your own gets one too, so that specs can name it and checkpoints of models that use
 * it can be saved and loaded. Register it with {@code java.util.ServiceLoader} (a line with the class's name in
 * {@code META-INF/services/dev.cortado.model.LayerType}) or with {@link LayerTypes#register}.
 */
public interface LayerType {

    /** The JSON {@code "type"}, e.g. {@code conv2d}: lower case letters, digits and underscores. */
    String name();

    /**
     * Reads a layer of this type from its JSON object (the {@code "type"} field already read). Fields that this
     * method does not read are reported as unknown.
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    LayerSpec read(JsonFields fields);
}
