package dev.cortado.cuda;

import static jcuda.driver.CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK;
import static jcuda.driver.JCudaDriver.cuFuncGetAttribute;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import dev.cortado.kernel.KernelBuildException;
import dev.cortado.kernel.KernelVariant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;

/**
 * The modules and kernels of one backend: each kernel variant is loaded once, on first use, from its
 * {@link KernelLoader}, with the backend's context current. A cached image the driver rejects is rebuilt once. A
 * kernel already looked up is returned without any driver call.
 */
final class CudaModules implements AutoCloseable {
    private record KernelKey(KernelVariant variant, String name) {
    }

    private final KernelLoader loader;
    private final CudaObjects objects;
    private final String deviceName;
    private final Runnable makeCurrent;
    private final Map<KernelVariant, CUmodule> modules = new LinkedHashMap<>();
    private final Map<KernelKey, CudaKernel> kernels = new LinkedHashMap<>();

    /** @param makeCurrent makes the backend's context current on this thread, before the driver calls of a miss */
    CudaModules(KernelLoader loader, CudaObjects objects, String deviceName, Runnable makeCurrent) {
        this.loader = loader;
        this.objects = objects;
        this.deviceName = deviceName;
        this.makeCurrent = makeCurrent;
    }

    /** Kernel {@code name} of the variant, loaded now if it was not yet. */
    CudaKernel kernel(KernelVariant variant, String name) {
        KernelKey key = new KernelKey(variant, name);
        CudaKernel kernel = kernels.get(key);
        if (kernel == null) {
            makeCurrent.run();
            CUfunction function = new CUfunction();
            int result = cuModuleGetFunction(function, module(variant), name);
            if (result != CUresult.CUDA_SUCCESS) {
                throw new KernelBuildException("no kernel " + name + " in " + variant.file() + " on " + deviceName
                        + ": " + CUresult.stringFor(result), null);
            }
            int[] threads = new int[1];
            CudaCallException.check(cuFuncGetAttribute(threads, CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, function),
                    "cuFuncGetAttribute(MAX_THREADS_PER_BLOCK) of " + name);
            kernel = new CudaKernel(function, name, threads[0]);
            kernels.put(key, kernel);
        }
        return kernel;
    }

    /** The variants loaded so far, in order, for tests. */
    List<KernelVariant> loaded() {
        return List.copyOf(modules.keySet());
    }

    private CUmodule module(KernelVariant variant) {
        CUmodule module = modules.get(variant);
        if (module == null) {
            module = new CUmodule();
            int result = cuModuleLoadData(module, loader.image(variant, false));
            if (result != CUresult.CUDA_SUCCESS && loader.caches()) {
                result = cuModuleLoadData(module, loader.image(variant, true));
            }
            if (result != CUresult.CUDA_SUCCESS) {
                throw new KernelBuildException(loader.loadFailure(variant, result) + " (on " + deviceName + ")",
                        null);
            }
            objects.created(CudaObjects.Kind.MODULE);
            modules.put(variant, module);
        }
        return module;
    }

    /** Unloads every module; their kernels go with them. */
    @Override
    public void close() {
        for (CUmodule module : modules.values()) {
            cuModuleUnload(module);
            objects.released(CudaObjects.Kind.MODULE);
        }
        modules.clear();
        kernels.clear();
    }
}
