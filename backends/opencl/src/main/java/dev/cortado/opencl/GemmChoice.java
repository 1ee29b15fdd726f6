package dev.cortado.opencl;

import java.util.Locale;
import java.util.Map;

/**
 * Which GEMM the backend runs: the project's tiled kernel or CLBlast. The default is whichever was faster in the
 * same-run benchmark (see {@code GemmBenchmark}); the other is chosen with the system property
 * {@value #PROPERTY} or the environment variable {@value #ENV_VARIABLE} ({@code tiled} or {@code clblast}).
 */
enum GemmChoice {
    TILED("tiled"),
    CLBLAST("clblast");

    static final String PROPERTY = "cortado.opencl.gemm";
    static final String ENV_VARIABLE = "CORTADO_OPENCL_GEMM";
    static final GemmChoice DEFAULT = TILED;

    private final String word;

    GemmChoice(String word) {
        this.word = word;
    }

    /** The choice set by the property, else by the environment, else {@link #DEFAULT}. */
    static GemmChoice configured(String property, Map<String, String> environment) {
        if (property != null && !property.isBlank()) {
            return parse(property, "-D" + PROPERTY);
        }
        String fromEnv = environment.get(ENV_VARIABLE);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return parse(fromEnv, ENV_VARIABLE);
        }
        return DEFAULT;
    }

    static GemmChoice configured() {
        return configured(System.getProperty(PROPERTY), System.getenv());
    }

    private static GemmChoice parse(String text, String source) {
        String w = text.trim().toLowerCase(Locale.ROOT);
        for (GemmChoice choice : values()) {
            if (choice.word.equals(w)) {
                return choice;
            }
        }
        throw new IllegalArgumentException(source + "=" + text + " is not a GEMM choice (expected tiled or clblast)");
    }

    String word() {
        return word;
    }
}
