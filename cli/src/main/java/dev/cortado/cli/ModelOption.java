package dev.cortado.cli;

import dev.cortado.model.ModelSpec;
import dev.cortado.tensor.Shape;
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

    /**
     * The model for samples of {@code samples}: a built-in model whose input is an image of another shape is built
     * for images of that shape (resnet8 for CIFAR-10's 3x32x32 images); any other model is returned as it is, to be
     * checked against the data by the run.
     *
     * @throws CliException with {@link ExitCode#MODEL} when the built-in's layers do not accept the images
     */
    static ModelSpec forSamples(String value, ModelSpec model, Shape samples) {
        if (!ModelSpec.BUILT_INS.contains(value) || model.input().equals(samples) || model.input().rank() != 3
                || samples.rank() != 3) {
            return model;
        }
        try {
            return model.withInput(samples);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.MODEL, "built-in model " + value + " cannot take the data's images of "
                    + samples + ": " + e.getMessage(), e);
        }
    }
}
