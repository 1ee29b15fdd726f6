package dev.cortado.cuda;

/**
 * Whether an optional CUDA library ({@link CudaLibraries#NVRTC}, {@link CudaLibraries#CUBLAS}) loaded.
 *
 * @param version its version when it loaded, e.g. {@code 12.6}
 * @param problem null when it loaded; otherwise why not, e.g. {@code libnvrtc.so.12 not found}
 */
record LibraryStatus(String version, String problem) {

    static LibraryStatus loaded(String version) {
        return new LibraryStatus(version, null);
    }

    static LibraryStatus missing(String problem) {
        return new LibraryStatus(null, problem);
    }

    boolean isLoaded() {
        return problem == null;
    }
}
