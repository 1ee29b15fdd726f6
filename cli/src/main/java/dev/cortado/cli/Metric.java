package dev.cortado.cli;

import dev.cortado.train.Objective;
import java.util.Locale;

/**
 * How a run's metric is shown and logged: a classification's accuracy as a percentage, a regression's mean absolute
 * error as a number in the targets' unit.
 */
public enum Metric {
    ACCURACY("acc", "accuracy"),
    MAE("mae", "mae");

    private final String label;
    private final String key;

    Metric(String label, String key) {
        this.label = label;
        this.key = key;
    }

    /** The metric of a run's objective. */
    public static Metric of(Objective objective) {
        return objective.higherIsBetter() ? ACCURACY : MAE;
    }

    /** In progress lines and tables: {@code acc}, {@code mae}. */
    String label() {
        return label;
    }

    /** In metrics.jsonl: {@code accuracy} ({@code train_accuracy}, ...), {@code mae}. */
    String key() {
        return key;
    }

    /** {@code 83.41%} for an accuracy, {@code 0.1234} for an error. */
    String format(double value) {
        return this == ACCURACY ? Format.percent(value) : Format.value(value);
    }

    /** For the bar's short message: {@code 83.4%}, {@code 0.123}. */
    String formatShort(double value) {
        return this == ACCURACY ? String.format(Locale.ROOT, "%.1f%%", 100 * value)
                : String.format(Locale.ROOT, "%.3f", value);
    }
}
