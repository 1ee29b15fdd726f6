package dev.cortado.cuda;

import static jcuda.nvrtc.JNvrtc.nvrtcCompileProgram;
import static jcuda.nvrtc.JNvrtc.nvrtcCreateProgram;
import static jcuda.nvrtc.JNvrtc.nvrtcDestroyProgram;
import static jcuda.nvrtc.JNvrtc.nvrtcGetCUBIN;
import static jcuda.nvrtc.JNvrtc.nvrtcGetCUBINSize;
import static jcuda.nvrtc.JNvrtc.nvrtcGetPTX;
import static jcuda.nvrtc.JNvrtc.nvrtcGetProgramLog;

import dev.cortado.kernel.KernelBuildException;
import dev.cortado.kernel.KernelSources;
import dev.cortado.kernel.KernelVariant;
import dev.cortado.kernel.ProgramCache;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import jcuda.driver.CUresult;
import jcuda.nvrtc.nvrtcProgram;
import jcuda.nvrtc.nvrtcResult;

/**
 * Kernels compiled at run time by NVRTC: a cubin for the device's own architecture ({@code sm_XY}), or PTX for the
 * newest architecture NVRTC knows when it does not know the device. Results are kept in the {@link ProgramCache},
 * keyed by the source, the options, the target, the device, the driver's CUDA version and NVRTC's version.
 */
record NvrtcCompiler(CudaDevice device, String version, String target, ProgramCache cache) implements KernelLoader {

    @Override
    public byte[] image(KernelVariant variant, boolean fresh) {
        String source = CudaSources.of(variant.file());
        String key = ProgramCache.key(source, variant.options(), target, device.name(),
                "driver " + device.driverVersion(), "nvrtc " + version);
        if (!fresh) {
            Optional<byte[]> cached = cache.load(key);
            if (cached.isPresent()) {
                return cached.get();
            }
        }
        byte[] image = compile(source, variant);
        cache.store(key, image);
        return image;
    }

    @Override
    public boolean caches() {
        return true;
    }

    @Override
    public String loadFailure(KernelVariant variant, int result) {
        return "the driver rejected what NVRTC " + version + " compiled for " + target + " from " + variant.file()
                + " [" + variant.options() + "]: " + CUresult.stringFor(result);
    }

    private byte[] compile(String source, KernelVariant variant) {
        nvrtcProgram program = new nvrtcProgram();
        check(nvrtcCreateProgram(program, source, variant.file(), 0, null, null), "nvrtcCreateProgram", variant);
        try {
            List<String> options = new ArrayList<>(List.of("--gpu-architecture=" + target));
            options.addAll(Arrays.stream(variant.options().split(" ")).filter(o -> !o.isEmpty()).toList());
            int result = nvrtcCompileProgram(program, options.size(), options.toArray(String[]::new));
            if (result != nvrtcResult.NVRTC_SUCCESS) {
                String[] log = new String[1];
                nvrtcGetProgramLog(program, log);
                throw new KernelBuildException(what(variant) + ": " + nvrtcResult.stringFor(result) + "; log:\n"
                        + (log[0] == null ? "(none)" : log[0].trim()), null);
            }
            if (target.startsWith("sm_")) {
                long[] size = new long[1];
                check(nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize", variant);
                byte[] cubin = new byte[Math.toIntExact(size[0])];
                check(nvrtcGetCUBIN(program, cubin), "nvrtcGetCUBIN", variant);
                return cubin;
            }
            String[] ptx = new String[1];
            check(nvrtcGetPTX(program, ptx), "nvrtcGetPTX", variant);
            return (ptx[0] + '\0').getBytes(StandardCharsets.US_ASCII);
        } finally {
            nvrtcDestroyProgram(program);
        }
    }

    private String what(KernelVariant variant) {
        return "cannot compile " + KernelSources.PACKAGE + variant.file() + " for " + device.name() + " (" + target
                + ", NVRTC " + version + ") with options [" + variant.options() + "]";
    }

    private void check(int result, String call, KernelVariant variant) {
        if (result != nvrtcResult.NVRTC_SUCCESS) {
            throw new KernelBuildException(what(variant) + ": " + call + " failed: " + nvrtcResult.stringFor(result),
                    null);
        }
    }
}
