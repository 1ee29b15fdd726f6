package dev.cortado.cli;

import dev.cortado.data.DataFormat;
import dev.cortado.data.Dataset;
import dev.cortado.data.Normalization;
import dev.cortado.model.ModelSpec;
import dev.cortado.tensor.Shape;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code --augment}, {@code --normalize} and {@code --image-shape}: how {@code cortado train} prepares the inputs. */
final class InputOptions {
    static final String AUTO = "auto";
    static final String NONE = "none";

    @Option(names = "--augment", description = "Images: random crops (padding 4) and horizontal flips of the "
            + "training images, drawn from --seed, the epoch and the image's index, so a resumed run sees the same.")
    boolean augment;

    @Option(names = "--normalize", paramLabel = "auto|none|MEAN,...,STD,...", description = "Per-channel "
            + "normalization of the inputs: auto (each channel's mean and standard deviation over the training "
            + "split), none (pixels in [0, 1], CSV features as they are) or the means, then the standard deviations, "
            + "of the channels (CSV: of the features). Stored in the checkpoint; eval and predict apply it. "
            + "Default: none for IDX (as before), auto for the other formats.")
    String normalize;

    @Option(names = "--image-shape", paramLabel = "C,H,W", description = "Images: the model's input shape, to which "
            + "an image folder's images are converted (1 channel: grey, 3: RGB) and resized. Default: the model's "
            + "input; a built-in model takes CIFAR-10 and IDX images at their own shape.")
    String imageShape;

    /**
     * The model with {@code --image-shape} as its input when it is given.
     *
     * @throws CliException with {@link ExitCode#USAGE} for a shape that is not three positive numbers, or
     *     {@link ExitCode#MODEL} when the model's layers do not accept it
     */
    ModelSpec shaped(ModelSpec model) {
        if (imageShape == null) {
            return model;
        }
        Shape shape;
        try {
            int[] dims = Arrays.stream(imageShape.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            if (dims.length != 3 || (dims[0] != 1 && dims[0] != 3) || dims[1] < 1 || dims[2] < 1) {
                throw new NumberFormatException();
            }
            shape = Shape.of(dims);
        } catch (NumberFormatException e) {
            throw new CliException(ExitCode.USAGE, "--image-shape: expected CHANNELS,HEIGHT,WIDTH with 1 or 3 "
                    + "channels, e.g. 3,32,32; got '" + imageShape + "'", e);
        }
        try {
            return model.withInput(shape);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.MODEL, "--image-shape " + shape + ": " + e.getMessage(), e);
        }
    }

    /** The --normalize value in effect for a format: the given one, else none for IDX and auto for the others. */
    String mode(DataFormat format) {
        return normalize != null ? normalize.trim().toLowerCase(Locale.ROOT)
                : format == DataFormat.IDX ? NONE : AUTO;
    }

    /** Whether the normalization is computed from the training split. */
    boolean computes(DataFormat format) {
        return mode(format).equals(AUTO);
    }

    /**
     * The normalization for training on {@code train}: null for none, computed from it for auto, else the values
     * given.
     *
     * @throws CliException with {@link ExitCode#USAGE} for values that are not numbers or do not fit the channels
     */
    Normalization normalization(DataFormat format, Dataset train) {
        String mode = mode(format);
        if (mode.equals(NONE)) {
            return null;
        }
        if (mode.equals(AUTO)) {
            return Normalization.of(train);
        }
        try {
            Normalization given = Normalization.parse(mode);
            given.checkFits(train.sampleShape());
            return given;
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "--normalize: " + e.getMessage() + " (or give auto or none)", e);
        }
    }
}
