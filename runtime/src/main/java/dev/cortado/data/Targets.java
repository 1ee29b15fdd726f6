package dev.cortado.data;

import dev.cortado.tensor.Shape;
import java.util.List;

/**
 * What each sample of a {@link Dataset} is labelled with: a class index (classification, trained with the
 * softmax cross-entropy and measured by accuracy) or a vector of values (regression, trained with the mean squared
 * error and measured by the mean absolute error).
 *
 * @param classes the number of classes, or 0 for a regression
 * @param shape the shape of one sample's target: {@code []} (one class index) for a classification, e.g.
 *     {@code [3]} for a regression with three outputs
 * @param classNames the name of each class by index ({@code "airplane"}, ...), or empty when the classes are
 *     known by their index only (and always for a regression)
 */
public record Targets(int classes, Shape shape, List<String> classNames) {

    public Targets {
        classNames = List.copyOf(classNames);
        if (!classNames.isEmpty() && classNames.size() != classes) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + classes + " classes");
        }
        if (classes < 0) {
            throw new IllegalArgumentException("the number of classes must not be negative, got " + classes);
        }
        if (classes > 0 && shape.rank() != 0) {
            throw new IllegalArgumentException("a classification's target is one class index, not " + shape);
        }
        if (classes == 0 && (shape.rank() == 0 || shape.size() < 1)) {
            throw new IllegalArgumentException("a regression's target needs a shape of one value or more, got "
                    + shape);
        }
    }

    /** Targets without class names. */
    public Targets(int classes, Shape shape) {
        this(classes, shape, List.of());
    }

    /** Class indices in {@code [0, classes)}. */
    public static Targets classes(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("a classification needs at least one class, got " + classes);
        }
        return new Targets(classes, Shape.of());
    }

    /** Class indices in {@code [0, names.size())}, class {@code i} being called {@code names.get(i)}. */
    public static Targets classes(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a classification needs at least one class, got no class names");
        }
        return new Targets(names.size(), Shape.of(), names);
    }

    /** Regression targets of the given shape, e.g. {@code values(3)} for three outputs per sample. */
    public static Targets values(int... dims) {
        return new Targets(0, Shape.of(dims));
    }

    /** True for class indices, false for regression values. */
    public boolean isClassification() {
        return classes > 0;
    }

    /** The name of class {@code index}, or the index as a number when the classes have no names. */
    public String className(int index) {
        return classNames.isEmpty() ? Integer.toString(index) : classNames.get(index);
    }

    /** Floats per sample's target: 1 for a class index. */
    public int size() {
        return Math.toIntExact(shape.size());
    }

    @Override
    public String toString() {
        return isClassification() ? classes + " classes" : "targets of shape " + shape;
    }
}
