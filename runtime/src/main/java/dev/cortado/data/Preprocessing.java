package dev.cortado.data;

/**
 * What was done to stored samples on their way to a model, as far as training a model on them decides what it
 * learns: the {@link Normalization} that every input of the model must have too (evaluation and prediction apply
 * it), and the {@link Augmentation} of training epochs. Checkpoints record it, and a resumed run must have the same.
 *
 * @param normalization the per-channel normalization, or null for none (the inputs as stored, pixels in [0, 1])
 * @param augmentation the augmentation of training samples, or null for none
 */
public record Preprocessing(Normalization normalization, Augmentation augmentation) {
    /** Samples as stored. */
    public static final Preprocessing NONE = new Preprocessing(null, null);

    /** This with {@code n} as the normalization. */
    public Preprocessing withNormalization(Normalization n) {
        return new Preprocessing(n, augmentation);
    }

    /** This with {@code a} as the augmentation. */
    public Preprocessing withAugmentation(Augmentation a) {
        return new Preprocessing(normalization, a);
    }

    /** For messages: {@code normalization mean [...], std [...]; augmentation ...}, or {@code none}. */
    public String describe() {
        if (normalization == null && augmentation == null) {
            return "none";
        }
        return (normalization == null ? "no normalization" : "normalization " + normalization.describe()) + "; "
                + (augmentation == null ? "no augmentation" : "augmentation: " + augmentation.describe());
    }
}
