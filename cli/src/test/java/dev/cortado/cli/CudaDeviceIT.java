package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA backend in the shaded jar, as a user meets it on a machine without a usable CUDA device (CI has none):
 * {@code cortado devices} shows cuda:0 with the reason, training falls back to the CPU when the device was
 * implied, and fails with the reason when cuda:0 is asked for. On a machine where cuda:0 works these tests are
 * skipped; scripts/gpu-check.sh covers that case.
 */
class CudaDeviceIT {
    @TempDir
    static Path tmp;
    static Path sample;
    static JsonNode cuda;

    @BeforeAll
    static void probe() throws Exception {
        sample = CortadoProcess.sampleData(tmp.resolve("sample"));
        CortadoProcess.Result json = CortadoProcess.run("devices", "--json");
        assertEquals(0, json.exitCode(), json.errors().toString());
        for (JsonNode device : new ObjectMapper().readTree(json.out())) {
            if (device.path("device").asText().equals("cuda:0")) {
                cuda = device;
            }
        }
    }

    private static String reason() {
        assertTrue(cuda != null, "the jar's CUDA backend lists no cuda:0");
        Assumptions.assumeFalse(cuda.path("available").asBoolean(), "cuda:0 is available here");
        String reason = cuda.path("reason").asText();
        assertTrue(!reason.isBlank(), cuda.toString());
        return reason;
    }

    @Test
    void devicesListsCudaZeroWithTheReasonAndExitsZero() throws Exception {
        String reason = reason();
        CortadoProcess.Result table = CortadoProcess.run("devices");
        assertEquals(0, table.exitCode(), table.errors().toString());
        assertTrue(table.stdout().stream().anyMatch(l -> l.startsWith("cuda:0 ") && l.endsWith("unavailable: "
                + reason)), table.out());
        if (!Files.exists(Path.of("/dev/nvidiactl"))) {
            assertTrue(reason.startsWith("no NVIDIA driver (libcuda.so.1 not found)"), reason);
        }
    }

    @Test
    void trainingWithAnImpliedDeviceFallsBackToTheCpuAndSaysWhy() throws Exception {
        String reason = reason();
        CortadoProcess.Result r = CortadoProcess.run("train", "--model", "mlp", "--data", sample.toString(), "--out",
                tmp.resolve("implied").toString(), "--epochs", "1", "--limit-train", "64", "--limit-test", "10");
        assertEquals(0, r.exitCode(), r.errors().toString());
        String device = r.stdout().stream().filter(l -> l.startsWith("device: ")).findFirst().orElseThrow();
        assertTrue(device.startsWith("device: cpu ("), device);
        assertTrue(device.contains("cuda:0: " + reason), device);
    }

    @Test
    void trainingOnCudaZeroAskedForFailsWithTheReason() throws Exception {
        String reason = reason();
        for (CortadoProcess.Result r : List.of(
                CortadoProcess.run("train", "--device", "cuda:0", "--data", sample.toString(), "--out",
                        tmp.resolve("asked").toString()),
                CortadoProcess.start(Map.of("CORTADO_DEVICE", "cuda:0"), "train", "--data", sample.toString(),
                        "--out", tmp.resolve("from-env").toString()).waitFor())) {
            assertEquals(ExitCode.DEVICE.code(), r.exitCode(), r.errors().toString());
            assertEquals(List.of("cortado train: device cuda:0 is unavailable: " + reason), r.errors());
        }
    }
}
