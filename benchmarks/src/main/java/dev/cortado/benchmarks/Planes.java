package dev.cortado.benchmarks;

import dev.cortado.tensor.Shape;

/**
 * A benchmark parameter naming a batch's square planes as {@code CHANNELSxSIDE} (e.g. {@code 16x28}).
 *
 * @param channels planes per image
 * @param side height and width of each plane
 */
record Planes(int channels, int side) {

    /** Reads {@code CHANNELSxSIDE}. */
    static Planes parse(String parameter) {
        String[] parts = parameter.split("x");
        return new Planes(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    /** The shape of {@code batch} images of these planes, each {@code side / divisor} square. */
    Shape images(int batch, int divisor) {
        return Shape.of(batch, channels, side / divisor, side / divisor);
    }
}
