package dev.cortado.cuda;

import dev.cortado.kernel.WordSetting;
import java.util.List;
import java.util.Map;

/** Where a CUDA device's kernels come from. */
enum KernelPath {
    /** Compiled at run time by NVRTC for the device's own architecture. */
    NVRTC("nvrtc"),
    /** The PTX the build bundled into the jar, compiled by the driver. */
    BUNDLED_PTX("ptx");

    /** {@code -Dcortado.cuda.kernels} or {@code CORTADO_CUDA_KERNELS}: {@code nvrtc} or {@code ptx} forces a path. */
    static final WordSetting SETTING = new WordSetting("cortado.cuda.kernels", "CORTADO_CUDA_KERNELS");

    private final String word;

    KernelPath(String word) {
        this.word = word;
    }

    String word() {
        return word;
    }

    /** The path the setting asks for; null when it is unset (NVRTC when it loads, else the bundled PTX). */
    static KernelPath requested(String property, Map<String, String> environment) {
        return SETTING.read(property, environment, List.of(values()), KernelPath::word, "kernel path").orElse(null);
    }
}
