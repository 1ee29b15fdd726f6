package dev.cortado.cuda;

import dev.cortado.kernel.Kernel;
import jcuda.driver.CUfunction;

/** A kernel function of a loaded module, with the most threads per block it can be launched with. */
record CudaKernel(CUfunction function, String name, long maxWorkGroupSize) implements Kernel {
}
