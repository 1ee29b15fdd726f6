package dev.cortado.cli;

/**
 * The exit codes of {@code cortado}, one per kind of failure, so scripts can tell them apart. The README's table
 * and the {@code --help} footer are made from these. A run stopped by SIGINT or SIGTERM ends with the JVM's
 * 130 or 143 after its checkpoint is written.
 */
public enum ExitCode {
    OK(0, "success"),
    INTERNAL(1, "unexpected internal error (rerun with --verbose for the stack trace)"),
    USAGE(2, "bad command line: unknown option, missing value, value out of range"),
    DATA(3, "data directory missing or without the expected IDX files, or a file is corrupt"),
    MODEL(4, "unknown model, or a model spec that cannot be read (line and column) or does not fit"),
    DEVICE(5, "device unknown or unavailable (the reason is printed)"),
    CHECKPOINT(6, "no checkpoint to resume, or one from another model, configuration or dataset; --out holds "
            + "another run"),
    OUTPUT(7, "output directory cannot be created or written"),
    DIVERGED(8, "the loss became NaN or infinite (the last good checkpoint is kept)"),
    SELFTEST(9, "selftest: an op's results differ from the CPU fallback's"),
    RESTARTS(10, "training on Spark: the workers' stage failed more times than --restarts allows (the last "
            + "checkpoint is kept)"),
    INTERRUPTED(130, "stopped by SIGINT (130) or SIGTERM (143) after writing a checkpoint; rerun with --resume");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
