package dev.cortado.cuda;

import java.util.function.Supplier;
import jcuda.driver.CUresult;

/** A CUDA driver call failed; the message names the call, what it was for, and the driver's error. */
public final class CudaCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The driver's {@code CUresult} code. */
    private final int result;

    CudaCallException(String what, int result) {
        super(what + " failed: " + CUresult.stringFor(result) + " (" + result + ")");
        this.result = result;
    }

    /** The driver's {@code CUresult} code. */
    public int result() {
        return result;
    }

    /** Throws unless {@code result} is {@code CUDA_SUCCESS}. */
    static void check(int result, String what) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaCallException(what, result);
        }
    }

    /** Throws unless {@code result} is {@code CUDA_SUCCESS}; {@code what} is asked for only then. */
    static void check(int result, Supplier<String> what) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaCallException(what.get(), result);
        }
    }
}
