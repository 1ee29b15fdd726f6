package dev.cortado.cuda;

import jcuda.driver.JCudaDriver;

/**
 * JCuda's driver binding, loaded once per process. Without a driver its first use throws
 * {@link UnsatisfiedLinkError} naming the missing {@code libcuda.so.1}, and every later use a
 * {@link NoClassDefFoundError} that need not name anything; so the first failure is kept and thrown again.
 */
final class CudaDriver {
    private static boolean loaded;
    private static Throwable failure;

    private CudaDriver() {
    }

    /** Loads the binding (error codes are returned, not thrown), or throws the first failure to load it. */
    static synchronized void load() {
        if (!loaded && failure == null) {
            try {
                JCudaDriver.setExceptionsEnabled(false);
                loaded = true;
            } catch (Throwable t) {
                failure = t;
            }
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("JCuda's driver binding failed to load", failure);
        }
    }
}
