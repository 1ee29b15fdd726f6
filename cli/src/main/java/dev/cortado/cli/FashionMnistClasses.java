package dev.cortado.cli;

import java.util.List;

/** The names of the ten Fashion-MNIST classes, by label. */
final class FashionMnistClasses {
    static final List<String> NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnistClasses() {
    }

    /** The class name of a label, or the label as a number beyond the ten. */
    static String name(int label) {
        return label < NAMES.size() ? NAMES.get(label) : Integer.toString(label);
    }
}
