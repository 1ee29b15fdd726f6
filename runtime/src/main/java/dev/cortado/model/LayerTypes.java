package dev.cortado.model;

import dev.cortado.backend.Activation;
import dev.cortado.backend.PoolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The layer types a model spec may name: the built-ins, those that {@link ServiceLoader} finds on the class path
 * ({@link LayerType} providers), and those registered in code. A name can be taken once.
 */
public final class LayerTypes {
    private static final Map<String, LayerType> TYPES = new LinkedHashMap<>();
    /** The names of the layer types that come with Cortado. */
    public static final List<String> BUILT_INS;

    static {
        builtIn(LinearSpec.TYPE, LinearSpec::fromJson);
        builtIn(Conv2dSpec.TYPE, Conv2dSpec::fromJson);
        builtIn(Pool2dSpec.MAX_TYPE, f -> Pool2dSpec.fromJson(PoolSpec.Kind.MAX, f));
        builtIn(Pool2dSpec.AVG_TYPE, f -> Pool2dSpec.fromJson(PoolSpec.Kind.AVG, f));
        for (Activation function : Activation.values()) {
            builtIn(ActivationSpec.type(function), f -> ActivationSpec.fromJson(function, f));
        }
        builtIn(FlattenSpec.TYPE, f -> new FlattenSpec());
        builtIn(DropoutSpec.TYPE, DropoutSpec::fromJson);
        builtIn(BatchNormSpec.TYPE, f -> new BatchNormSpec());
        builtIn(GlobalAvgPoolSpec.TYPE, f -> new GlobalAvgPoolSpec());
        builtIn(ResidualSpec.TYPE, ResidualSpec::fromJson);
        BUILT_INS = List.copyOf(TYPES.keySet());
        for (LayerType type : ServiceLoader.load(LayerType.class)) {
            register(type);
        }
    }

    private LayerTypes() {
    }

    private static void builtIn(String name, Function<JsonFields, LayerSpec> read) {
        register(new LayerType() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public LayerSpec read(JsonFields fields) {
                return read.apply(fields);
            }
        });
    }

    /**
     * Adds a layer type, for code that does not use {@link ServiceLoader}.
     *
     * @throws IllegalArgumentException when the name is taken or not a valid type name
     */
    public static synchronized void register(LayerType type) {
        String name = type.name();
        if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("layer type name must be lower case letters, digits and underscores, "
                    + "got '" + name + "'");
        }
        LayerType taken = TYPES.putIfAbsent(name, type);
        if (taken != null && taken != type) {
            throw new IllegalArgumentException("layer type '" + name + "' is already registered by "
                    + taken.getClass().getName());
        }
    }

    /** Every registered type's name, built-ins first. */
    public static synchronized List<String> names() {
        return new ArrayList<>(TYPES.keySet());
    }

    /**
     * The type of a name.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static synchronized LayerType get(String name) {
        LayerType type = TYPES.get(name);
        if (type == null) {
            throw new IllegalArgumentException("unknown layer type '" + name + "' (known: "
                    + String.join(", ", TYPES.keySet()) + ")");
        }
        return type;
    }
}
