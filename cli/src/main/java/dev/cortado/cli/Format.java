package dev.cortado.cli;

import java.util.Locale;

/** Number formats shared by the commands' output, independent of the machine's locale. */
final class Format {
    private Format() {
    }

    /** {@code 0.4521}. */
    static String loss(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    /** {@code 0.1234}, {@code 1,234.5678}: a regression's error, in the targets' unit. */
    static String value(double value) {
        return String.format(Locale.ROOT, "%,.4f", value);
    }

    /** {@code 83.41%} for 0.83412. */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    /** {@code 12,345} for a rate such as images per second. */
    static String rate(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    /** {@code 12.3 s}. */
    static String seconds(double value) {
        return String.format(Locale.ROOT, "%.1f s", value);
    }

    /** {@code 1.2e-07}. */
    static String error(double value) {
        return String.format(Locale.ROOT, "%.1e", value);
    }

    /** {@code 23.4 GiB}, {@code 512 MiB}; "-" when unknown (0). */
    static String bytes(long bytes) {
        if (bytes <= 0) {
            return "-";
        }
        double gib = bytes / (1024.0 * 1024 * 1024);
        return gib >= 1 ? String.format(Locale.ROOT, "%.1f GiB", gib)
                : String.format(Locale.ROOT, "%d MiB", bytes / (1024 * 1024));
    }
}
