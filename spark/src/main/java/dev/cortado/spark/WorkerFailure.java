package dev.cortado.spark;

import dev.cortado.cli.ExitCode;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A worker's failure that another attempt would repeat (data missing, a checkpoint of another run, a model that does
 * not fit, a diverged loss): the driver reports it and does not resubmit. Its message starts with a marker,
 * {@code [not retried, exit N] }, that survives Spark's reports of task failures, where only text travels, and gives
 * the driver the exit code {@code cortado train} would give.
 */
final class WorkerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final Pattern MARKER = Pattern.compile("\\[not retried, exit (\\d+)] ");

    WorkerFailure(ExitCode code, String message, Throwable cause) {
        super("[not retried, exit " + code.code() + "] " + message, cause);
    }

    /** The exit code a text (a Spark failure's message) marks as not retried, if it does. */
    static Optional<ExitCode> marked(String text) {
        Matcher m = MARKER.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        int code = Integer.parseInt(m.group(1));
        for (ExitCode c : ExitCode.values()) {
            if (c.code() == code) {
                return Optional.of(c);
            }
        }
        return Optional.of(ExitCode.INTERNAL);
    }

    /** {@code text} without the marker. */
    static String unmarked(String text) {
        return MARKER.matcher(text).replaceAll("");
    }
}
