package dev.cortado.spark;

import dev.cortado.cli.ExitCode;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a failed job's exception on the driver. Spark reports a task's failure as text (the exception's class,
 * message and stack trace inside the job's message), so the reason shown is the failing task's exception line, and
 * {@link WorkerFailure}'s marker in it a failure another attempt would repeat.
 */
final class SparkFailure {
    /** An exception line: a qualified class name followed by a colon. */
    /** Spark's line for a failed task of a barrier stage; group 1 is its partition, the worker's rank. */
    private static final Pattern FAILED_TASK = Pattern.compile(
            "barrier task ResultTask\\(\\d+, (\\d+)\\) finished unsuccessfully\\.");
    private static final Pattern EXCEPTION_LINE = Pattern.compile("^([a-z][\\w$]*\\.)+[A-Z][\\w$]*(: .*)?$");

    private SparkFailure() {
    }

    /** The exit code of a failure another attempt would repeat; empty for one worth another attempt. */
    static Optional<ExitCode> notRetried(Throwable failure) {
        return WorkerFailure.marked(text(failure));
    }

    /**
     * The failing task's worker and reason (its exception, or Spark's word for a lost executor), else the first
     * exception a worker threw, else the job's message.
     */
    static String reason(Throwable failure) {
        String text = text(failure);
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length - 1; i++) {
            Matcher task = FAILED_TASK.matcher(lines[i]);
            if (task.find() && !lines[i + 1].isBlank()) {
                return WorkerFailure.unmarked("worker " + task.group(1) + " (Spark task " + task.group(0)
                        .replace(" finished unsuccessfully.", "").replace("barrier task ", "") + "): "
                        + lines[i + 1].trim().replace(WorkerFailure.class.getName() + ": ", ""));
            }
        }
        for (String line : lines) {
            String trimmed = line.trim();
            if (EXCEPTION_LINE.matcher(trimmed).matches() && !trimmed.startsWith("org.apache.spark.SparkException")) {
                return WorkerFailure.unmarked(trimmed);
            }
        }
        return WorkerFailure.unmarked(lines[0].trim());
    }

    private static String text(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage() == null ? t.toString() : t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
