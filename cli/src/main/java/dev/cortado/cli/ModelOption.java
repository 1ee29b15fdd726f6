package dev.cortado.cli;

import dev.cortado.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves a {@code --model} value: a built-in name or the path of a JSON model spec. */
final class ModelOption {
    private ModelOption() {
    }

    /**
     * The spec for {@code value}.
     *
     * @throws CliException with {@link ExitCode#MODEL} for an unknown name, a missing file or a bad spec (the
     *     message gives line and column for malformed JSON)
     */
    static ModelSpec resolve(String value) {
        if (ModelSpec.BUILT_INS.contains(value)) {
            return ModelSpec.builtIn(value);
        }
        Path file = Path.of(value);
        if (!value.endsWith(".json") && !Files.exists(file)) {
            throw new CliException(ExitCode.MODEL, "unknown model '" + value + "': use "
                    + String.join(", ", ModelSpec.BUILT_INS) + " or the path of a JSON model spec");
        }
        if (!Files.isRegularFile(file)) {
            throw new CliException(ExitCode.MODEL, "model spec " + file + " not found");
        }
        return ModelSpec.read(file);
    }
}
