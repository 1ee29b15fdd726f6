package dev.cortado.nn;

import dev.cortado.tensor.Shape;

/** An input does not fit a layer or loss; the message names the layer, the expected and the actual shape. */
public class ShapeMismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ShapeMismatchException(String where, String expected, Shape actual) {
        super(where + ": expected input " + expected + ", got " + actual);
    }
}
