package dev.cortado.cpu;

import dev.cortado.cpu.gemm.Sgemm;
import dev.cortado.device.Device;
import dev.cortado.device.DeviceInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@code cortado devices} shows for the CPU: the processor model, heap, threads, whether the Vector API is
 * on, the GEMM kernel and the element-wise loops.
 */
final class CpuDescription {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private CpuDescription() {
    }

    static DeviceInfo describe() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("threads", Integer.toString(Parallel.threads()));
        details.put("vector api", VectorModule.describe());
        details.put("gemm", Sgemm.describe());
        details.put("element-wise loops", FloatLoops.IN_USE.describe());
        return DeviceInfo.available(Device.CPU, processorName(), false, Runtime.getRuntime().maxMemory(),
                Parallel.threads(), details);
    }

    /** The "model name" line of /proc/cpuinfo, or the JVM's os.arch where there is none (macOS, some ARM). */
    private static String processorName() {
        String arch = System.getProperty("os.arch");
        try (Stream<String> lines = Files.lines(CPUINFO)) {
            return lines.filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .filter(name -> !name.isEmpty())
                    .findFirst()
                    .orElse(arch);
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return arch;
        }
    }
}
