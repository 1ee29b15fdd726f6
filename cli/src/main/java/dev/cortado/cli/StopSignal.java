package dev.cortado.cli;

import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Turns SIGINT and SIGTERM into a request to stop the run, and makes the exit code tell what happened next.
 *
 * <p>On those signals the JVM runs its shutdown hooks and then exits with 128 + the signal (130, 143), whatever
 * {@code main} returns. This hook sets the stop flag and then holds the JVM until the command has ended and
 * {@link #exit} has its exit code, for at most {@value #GRACE_SECONDS} seconds (Docker's default grace period is
 * 10 s before SIGKILL). When the run wrote its stop checkpoint (exit code {@link ExitCode#INTERRUPTED}), the hook
 * returns and the JVM exits with 130 or 143, which promise that checkpoint. Any other code (the checkpoint could
 * not be written, memory ran out, the loss diverged) becomes the process's exit code, through
 * {@link Runtime#halt} once the error is printed; so does {@link ExitCode#OUTPUT} when the run has not stopped
 * within the grace period.
 */
final class StopSignal implements BooleanSupplier, AutoCloseable {
    static final int GRACE_SECONDS = 9;

    /** The command's exit code, once known; a signal's hook waits for it. */
    private static final CompletableFuture<Integer> EXIT_CODE = new CompletableFuture<>();

    private final AtomicBoolean requested = new AtomicBoolean();
    private final PrintWriter err;
    private final Thread hook = new Thread(this::onShutdown, "cortado-stop-signal");

    private StopSignal(PrintWriter err) {
        this.err = err;
    }

    /** Installs the shutdown hook; close the signal when the command is done with it. */
    static StopSignal install(PrintWriter err) {
        StopSignal signal = new StopSignal(err);
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /**
     * Ends the process with the command's exit code: {@code System.exit}, or, while a signal's shutdown waits for
     * the command, through that hook (see the class comment). Print and flush everything first.
     */
    static void exit(int code) {
        EXIT_CODE.complete(code);
        System.exit(code);
    }

    private void onShutdown() {
        requested.set(true);
        int code;
        try {
            code = EXIT_CODE.get(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            err.println("cortado train: the run did not stop within " + GRACE_SECONDS + " s of the signal, so it "
                    + "ends without a stop checkpoint; --resume continues from the last checkpoint written");
            code = ExitCode.OUTPUT.code();
        } catch (InterruptedException | ExecutionException e) {
            code = ExitCode.INTERNAL.code();
        }
        if (code != ExitCode.INTERRUPTED.code()) {
            err.flush();
            System.out.flush();
            Runtime.getRuntime().halt(code);
        }
    }

    /** True once a stop was requested. */
    @Override
    public boolean getAsBoolean() {
        return requested.get();
    }

    /**
     * The command no longer needs the signal: removes the hook, so that a signal from now on ends the process at
     * once. During a signal's shutdown the hook stays and waits for {@link #exit}.
     */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // The hook is running: it ends the process once exit() has the code.
        }
    }
}
