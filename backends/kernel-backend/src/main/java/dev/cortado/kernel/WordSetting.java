package dev.cortado.kernel;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A setting that picks one of a few choices by a word (case-insensitive): the system property {@code property},
 * else the environment variable {@code environmentVariable}; blank counts as unset.
 *
 * @param property e.g. {@code cortado.opencl.gemm}
 * @param environmentVariable e.g. {@code CORTADO_OPENCL_GEMM}
 */
public record WordSetting(String property, String environmentVariable) {

    /**
     * The choice whose word is set, or empty when the setting is unset.
     *
     * @param propertyValue the property's value in this process (null when unset)
     * @param what what is chosen, for the error, e.g. {@code GEMM choice}
     * @throws IllegalArgumentException naming the source, the value and the words when no choice has that word
     */
    public <E> Optional<E> read(String propertyValue, Map<String, String> environment, List<E> choices,
                                Function<E, String> word, String what) {
        String source = "-D" + property;
        String text = propertyValue;
        if (text == null || text.isBlank()) {
            source = environmentVariable;
            text = environment.get(environmentVariable);
        }
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (E choice : choices) {
            if (word.apply(choice).equals(wanted)) {
                return Optional.of(choice);
            }
        }
        throw new IllegalArgumentException(source + "=" + text + " is not a " + what + " (expected "
                + choices.stream().map(word).collect(Collectors.joining(" or ")) + ")");
    }
}
