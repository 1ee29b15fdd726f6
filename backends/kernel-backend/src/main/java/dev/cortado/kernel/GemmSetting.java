package dev.cortado.kernel;

import java.util.Locale;
import java.util.Map;

/**
 * How one backend's GEMM choice is set: the system property {@code property}, else the environment variable
 * {@code environmentVariable}, each {@code tiled} or {@code libraryWord}; else {@code byDefault}.
 *
 * @param libraryWord the word that picks the library, e.g. {@code clblast}
 * @param property e.g. {@code cortado.opencl.gemm}
 * @param environmentVariable e.g. {@code CORTADO_OPENCL_GEMM}
 * @param byDefault the choice when neither is set
 */
public record GemmSetting(String libraryWord, String property, String environmentVariable, GemmChoice byDefault) {
    private static final String TILED_WORD = "tiled";

    /** The choice set by the property value, else by the environment, else {@link #byDefault()}. */
    public GemmChoice configured(String propertyValue, Map<String, String> environment) {
        if (propertyValue != null && !propertyValue.isBlank()) {
            return parse(propertyValue, "-D" + property);
        }
        String fromEnv = environment.get(environmentVariable);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return parse(fromEnv, environmentVariable);
        }
        return byDefault;
    }

    /** The choice of this process: its system property and environment. */
    public GemmChoice configured() {
        return configured(System.getProperty(property), System.getenv());
    }

    /** The word that selects {@code choice}. */
    public String word(GemmChoice choice) {
        return choice == GemmChoice.TILED ? TILED_WORD : libraryWord;
    }

    private GemmChoice parse(String text, String source) {
        String w = text.trim().toLowerCase(Locale.ROOT);
        for (GemmChoice choice : GemmChoice.values()) {
            if (word(choice).equals(w)) {
                return choice;
            }
        }
        throw new IllegalArgumentException(source + "=" + text + " is not a GEMM choice (expected " + TILED_WORD
                + " or " + libraryWord + ")");
    }
}
