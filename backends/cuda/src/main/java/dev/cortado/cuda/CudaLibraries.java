package dev.cortado.cuda;

import static jcuda.nvrtc.JNvrtc.nvrtcGetNumSupportedArchs;
import static jcuda.nvrtc.JNvrtc.nvrtcGetSupportedArchs;
import static jcuda.nvrtc.JNvrtc.nvrtcVersion;

import java.util.Arrays;
import jcuda.jcublas.JCublas2;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcResult;

/**
 * The optional CUDA 12 libraries: NVRTC ({@code libnvrtc.so.12}) and cuBLAS ({@code libcublas.so.12}). Each is
 * tried once per process (a JCuda binding that failed to load fails differently ever after) and never throws.
 */
final class CudaLibraries {
    static final String NVRTC = "libnvrtc.so.12";
    static final String CUBLAS = "libcublas.so.12";

    private static LibraryStatus nvrtc;
    private static int[] nvrtcArchitectures;
    private static LibraryStatus cublas;

    private CudaLibraries() {
    }

    /** NVRTC, with its version when it loads. */
    static synchronized LibraryStatus nvrtc() {
        if (nvrtc == null) {
            try {
                JNvrtc.setExceptionsEnabled(false);
                int[] major = new int[1];
                int[] minor = new int[1];
                check(nvrtcVersion(major, minor), "nvrtcVersion");
                int[] count = new int[1];
                check(nvrtcGetNumSupportedArchs(count), "nvrtcGetNumSupportedArchs");
                int[] archs = new int[count[0]];
                check(nvrtcGetSupportedArchs(archs), "nvrtcGetSupportedArchs");
                Arrays.sort(archs);
                nvrtcArchitectures = archs;
                nvrtc = LibraryStatus.loaded(major[0] + "." + minor[0]);
            } catch (Throwable t) {
                nvrtc = LibraryStatus.missing(LinkFailure.describe(t));
            }
        }
        return nvrtc;
    }

    /** The architectures NVRTC compiles for (e.g. 50, 52, ..., 90), ascending; empty when it did not load. */
    static synchronized int[] nvrtcArchitectures() {
        return nvrtc().isLoaded() ? nvrtcArchitectures.clone() : new int[0];
    }

    /** cuBLAS; its version is known only once a handle exists, on a device. */
    static synchronized LibraryStatus cublas() {
        if (cublas == null) {
            try {
                JCublas2.setExceptionsEnabled(false);
                cublas = LibraryStatus.loaded(null);
            } catch (Throwable t) {
                cublas = LibraryStatus.missing(LinkFailure.describe(t));
            }
        }
        return cublas;
    }

    private static void check(int result, String call) {
        if (result != nvrtcResult.NVRTC_SUCCESS) {
            throw new IllegalStateException(call + " failed: " + nvrtcResult.stringFor(result));
        }
    }
}
