package dev.cortado.nn.layers;

import dev.cortado.nn.Layer;
import dev.cortado.nn.Mode;
import dev.cortado.nn.ShapeMismatchException;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;

/** Checks shared by the layers. */
final class Layers {
    private Layers() {
    }

    /** The input a training forward pass kept, or an error when backward comes without one. */
    static <T> T requireForward(T saved, Layer layer) {
        if (saved == null) {
            throw new IllegalStateException(layer.describe() + ": backward called without a training forward pass");
        }
        return saved;
    }

    /** Throws when an evaluation copy (a layer that does not own its parameters) is asked to train. */
    static void requireTrainable(Mode mode, boolean ownsParameters, Layer layer) {
        if (mode == Mode.TRAIN && !ownsParameters) {
            throw new IllegalStateException(layer.describe() + ": an evaluation copy cannot train; train the "
                    + "layer it was copied from");
        }
    }

    /** Throws naming the layer when a tensor passed to it does not have the expected shape. */
    static void requireShape(Layer layer, String what, Shape expected, Tensor actual) {
        if (!actual.shape().equals(expected)) {
            throw new ShapeMismatchException(layer.describe() + " " + what, expected.toString(), actual.shape());
        }
    }
}
