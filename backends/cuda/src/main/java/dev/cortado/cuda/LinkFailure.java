package dev.cortado.cuda;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words for a native library that did not load. JCuda raises {@link UnsatisfiedLinkError} at the first use of a
 * binding whose native library cannot be loaded, naming the system library that is missing deep in its message,
 * and {@link NoClassDefFoundError} at every use after that, with the first error as the cause's text.
 */
final class LinkFailure {
    private static final Pattern MISSING = Pattern.compile("(lib[\\w.+-]+\\.so(?:\\.\\d+)*): cannot open shared "
            + "object file");

    private LinkFailure() {
    }

    /** The system library the failure says is missing, e.g. {@code libcuda.so.1}, searching every cause. */
    static Optional<String> missingLibrary(Throwable t) {
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            Matcher m = MISSING.matcher(String.valueOf(cause.getMessage()));
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /** "libnvrtc.so.12 not found", or the failure's first line when it names no missing library. */
    static String describe(Throwable t) {
        return missingLibrary(t).map(lib -> lib + " not found").orElseGet(() -> firstLine(t));
    }

    /** The exception's class and the first line of its message. */
    static String firstLine(Throwable t) {
        String message = String.valueOf(t.getMessage()).lines().findFirst().orElse("");
        return t.getClass().getSimpleName() + ": " + message.trim();
    }
}
