package dev.cortado.it.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cortado.device.DeviceKind;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code cortado devices} in the image built on the CI base (JRE + PoCL, no GPU): the CPU and PoCL's OpenCL
 * device are available, CUDA is listed as unavailable with its reason. Each backend is checked once the jar
 * carries it.
 */
class DevicesInContainerIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @Test
    void listsEveryBackendOfTheJarWithItsStatus() throws Exception {
        Job.Finished table = Job.of("devices").run(TIMEOUT);
        assertEquals(0, table.exitCode(), table.describe());
        assertFalse(Text.hasControlCharacters(table.stdout()), table.describe());
        System.out.print("cortado devices in the container:\n" + table.stdout());

        Job.Finished json = Job.of("devices", "--json").run(TIMEOUT);
        assertEquals(0, json.exitCode(), json.describe());
        Map<String, JsonNode> byDevice = new HashMap<>();
        for (JsonNode device : new ObjectMapper().readTree(json.stdout())) {
            byDevice.put(device.path("device").asText(), device);
        }

        JsonNode cpu = byDevice.get("cpu");
        assertNotNull(cpu, json.stdout());
        assertTrue(cpu.path("available").asBoolean(), "cpu: " + cpu);

        if (Backends.inJar().contains(DeviceKind.OPENCL)) {
            JsonNode opencl = byDevice.get("opencl:0");
            assertNotNull(opencl, "the jar has the OpenCL backend but lists no opencl:0:\n" + json.stdout());
            assertTrue(opencl.path("available").asBoolean(), "PoCL's device must be available: " + opencl);
            assertFalse(opencl.path("accelerator").asBoolean(), "PoCL runs on the CPU: " + opencl);
        }
        if (Backends.inJar().contains(DeviceKind.CUDA)) {
            JsonNode cuda = byDevice.get("cuda:0");
            assertNotNull(cuda, "the jar has the CUDA backend but lists no cuda:0:\n" + json.stdout());
            assertFalse(cuda.path("available").asBoolean(), "no GPU here, yet cuda:0 is available: " + cuda);
            assertFalse(cuda.path("reason").asText().isBlank(), "cuda:0 is unavailable without a reason: " + cuda);
        }
        System.out.println("backends in the jar: " + Backends.inJar());
    }
}
