package dev.cortado.cuda;

/**
 * Whether an optional CUDA library loaded.
 *
 * @param soname the system library, e.g. {@code libnvrtc.so.12}
 * @param version its version when it loaded, e.g. {@code 12.6}
 * @param problem null when it loaded; otherwise why not, e.g. {@code libnvrtc.so.12 not found}
 */
record LibraryStatus(String soname, String version, String problem) {

    static LibraryStatus loaded(String soname, String version) {
        return new LibraryStatus(soname, version, null);
    }

    static LibraryStatus missing(String soname, String problem) {
        return new LibraryStatus(soname, null, problem);
    }

    boolean isLoaded() {
        return problem == null;
    }
}
