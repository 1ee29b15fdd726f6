package dev.cortado.cli;

/**
 * The exit codes of {@code cortado}, one per kind of failure, so scripts can tell them apart. The README's table
 * and the {@code --help} footer are made from these. A run stopped by SIGINT or SIGTERM ends with the JVM's
 * 130 or 143 only once its stop checkpoint is on disk; when that fails, with the code of the failure
 * ({@link StopSignal}).
 */
public enum ExitCode {
    OK(0, "success"),
    INTERNAL(1, "unexpected internal error (rerun with --verbose for the stack trace)"),
    USAGE(2, "bad command line: unknown option, missing value, value out of range"),
    DATA(3, "data missing or in no format cortado reads, a file or record in it is bad (named), or the test split's "
            + "samples differ from the training split's"),
    MODEL(4, "unknown model, a model spec that cannot be read (line and column), or a model that does not fit the "
            + "data (input shape, one output per class, sizes no tensor holds)"),
    DEVICE(5, "device unknown or unavailable (the reason is printed)"),
    CHECKPOINT(6, "no checkpoint to resume, or one that is damaged, holds NaN weights or is from another model, "
            + "configuration or dataset; --out holds another run, or another process is training into it"),
    OUTPUT(7, "output directory cannot be created or written, or a checkpoint (the stop's included) cannot be "
            + "written (the reason is printed)"),
    DIVERGED(8, "the loss or the weights became NaN or infinite (the last good checkpoint is kept)"),
    SELFTEST(9, "selftest: an op's results differ from the CPU fallback's"),
    OUT_OF_MEMORY(10, "out of memory, on the device or in the Java heap, found before step 0 or during it: lower "
            + "--batch-size, or give Java more heap with " + MemoryHint.JAVA_OPTS + "=-Xmx..."),
    RESTARTS(11, "training on Spark: the workers' stage failed more times than --restarts allows (the last "
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
