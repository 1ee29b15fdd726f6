package dev.cortado.backend;

/** The checks of the optimizer steps' settings, so a NaN learning rate fails before it reaches any device. */
final class StepChecks {
    private StepChecks() {
    }

    /** A learning rate or decay: finite and at least 0 (a schedule may end at 0). */
    static void rate(String optimizer, String name, float value) {
        if (!(value >= 0 && Float.isFinite(value))) {
            throw new IllegalArgumentException(optimizer + ": " + name + " must be a finite number >= 0, got "
                    + value);
        }
    }

    /** A momentum or beta: in [0, 1). */
    static void fraction(String optimizer, String name, float value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(optimizer + ": " + name + " must be in [0, 1), got " + value);
        }
    }
}
