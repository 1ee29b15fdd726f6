package dev.cortado.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Turns SIGINT and SIGTERM into a request to stop between two training steps. A JVM shutdown hook sets the flag
 * and then holds the JVM until the run has written its checkpoint and called {@link #close()}, for at most
 * {@value #GRACE_SECONDS} seconds (Docker's default grace period is 10 s before SIGKILL).
 */
final class StopSignal implements BooleanSupplier, AutoCloseable {
    static final int GRACE_SECONDS = 9;

    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "cortado-stop-signal");

    private StopSignal() {
    }

    /** Installs the shutdown hook; close the signal when the run is over. */
    static StopSignal install() {
        StopSignal signal = new StopSignal();
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    private void onShutdown() {
        requested.set(true);
        try {
            finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once a stop was requested. */
    @Override
    public boolean getAsBoolean() {
        return requested.get();
    }

    /** The run is over and its output flushed: lets a pending shutdown go on, or removes the hook. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // The JVM is already shutting down: the hook is running and returns now.
        }
    }
}
