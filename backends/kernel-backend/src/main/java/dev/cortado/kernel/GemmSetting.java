package dev.cortado.kernel;

import java.util.List;
import java.util.Map;

/**
 * How one backend's GEMM choice is set: the system property {@code property}, else the environment variable
 * {@code environmentVariable}, each {@code tiled} or {@code libraryWord}; else {@code byDefault}.
 *
 * @param libraryWord the word that picks the library, e.g. {@code clblast}
 * @param property e.g. {@code cortado.opencl.gemm}
 * @param environmentVariable e.g. {@code CORTADO_OPENCL_GEMM}
 * @param byDefault the choice when neither is set; null leaves it to the backend (CUDA: cuBLAS when it loads)
 */
public record GemmSetting(String libraryWord, String property, String environmentVariable, GemmChoice byDefault) {

    /** The choice set by the property value, else by the environment, else {@link #byDefault()}. */
    public GemmChoice configured(String propertyValue, Map<String, String> environment) {
        return new WordSetting(property, environmentVariable).read(propertyValue, environment,
                List.of(GemmChoice.values()), this::word, "GEMM choice").orElse(byDefault);
    }

    /** The choice of this process: its system property and environment. */
    public GemmChoice configured() {
        return configured(System.getProperty(property), System.getenv());
    }

    /** The word that selects {@code choice}. */
    public String word(GemmChoice choice) {
        return choice == GemmChoice.TILED ? "tiled" : libraryWord;
    }
}
