package dev.cortado.cuda;

import dev.cortado.kernel.KernelVariant;

/** Gives the module image of a kernel variant, for {@code cuModuleLoadData}: a cubin or NUL-terminated PTX. */
sealed interface KernelLoader permits NvrtcCompiler, BundledPtx {

    /**
     * The image of {@code variant}; {@code fresh} asks for one not taken from a cache (after the driver rejected
     * the cached one).
     *
     * @throws dev.cortado.kernel.KernelBuildException when it cannot be made
     */
    byte[] image(KernelVariant variant, boolean fresh);

    /** Whether {@link #image} may return a cached image that a fresh one could replace. */
    boolean caches();

    /** Why the driver could not load an image of {@code variant}, for the error it raises. */
    String loadFailure(KernelVariant variant, int result);
}
