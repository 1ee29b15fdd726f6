package dev.cortado.it.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cortado.device.DeviceKind;
import dev.cortado.it.CortadoJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A one-epoch training job on a mounted dataset, on each device the image can use without a GPU: the job exits 0
 * and leaves the metrics, the plot and its checkpoints in the bound {@code /out}, and the checkpoint loads in the
 * jar run on the host, outside any container.
 */
class TrainingJobIT {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final Pattern EVAL_ACCURACY = Pattern.compile("accuracy [0-9.]+% \\((\\d+)/(\\d+)\\)");

    @TempDir
    Path tmp;

    /** The CPU, and PoCL's OpenCL device once the jar carries the OpenCL backend. */
    static Stream<String> devices() {
        List<String> devices = new ArrayList<>(List.of("cpu"));
        if (Backends.inJar().contains(DeviceKind.OPENCL)) {
            devices.add("opencl:0");
        }
        return devices.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void oneEpochWritesMetricsPlotAndACheckpointThatLoadsOutsideTheContainer(String device) throws Exception {
        Path data = Dirs.sampleData(tmp);
        Path out = Dirs.out(tmp, "out");

        Job.Finished job = Job.of("train", "--data", "/data", "--out", "/out", "--device", device, "--epochs", "1")
                .data(data).out(out).run(Duration.ofMinutes(5));
        System.out.print("training job on " + device + ":\n" + job.stdout());

        assertEquals(0, job.exitCode(), job.describe());
        assertTrue(job.stdout().contains("device: " + device + " "), job.describe());
        assertFalse(Text.hasControlCharacters(job.stdout() + job.stderr()), "control characters in the log:\n"
                + job.describe());
        assertTrue(job.errorLines().isEmpty(), job.describe());

        JsonNode epoch = lastEpochLine(out.resolve("metrics.jsonl"));
        assertEquals(1, epoch.path("epoch").asInt(), epoch.toString());
        byte[] png = Files.readAllBytes(out.resolve("metrics.png"));
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, PNG_SIGNATURE.length), "metrics.png is not a PNG");
        assertTrue(Files.size(out.resolve("epoch-001.safetensors")) > 0);
        Path checkpoint = out.resolve("last.safetensors");

        CortadoJar.Result eval = CortadoJar.run("eval", "--checkpoint", checkpoint.toString(),
                "--data", data.toString(), "--device", "cpu");
        System.out.print("cortado eval on the host:\n" + eval.stdout());
        assertEquals(0, eval.exitCode(), eval.output());
        Matcher accuracy = EVAL_ACCURACY.matcher(eval.stdout());
        assertTrue(accuracy.find(), eval.output());
        int total = Integer.parseInt(accuracy.group(2));
        int correct = Integer.parseInt(accuracy.group(1));
        // The job evaluated the same model on the same test images at the end of its epoch. The host may sum in
        // another order (another batch size, or the CPU instead of OpenCL), which can flip a near tie or two.
        int jobCorrect = (int) Math.round(epoch.path("test_accuracy").asDouble() * total);
        assertTrue(Math.abs(correct - jobCorrect) <= Math.max(2, total / 100), "the host's eval got " + correct
                + "/" + total + " right, the job's own test " + jobCorrect + "/" + total);
    }

    private static JsonNode lastEpochLine(Path metrics) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode last = null;
        for (String line : Files.readAllLines(metrics)) {
            JsonNode node = json.readTree(line);
            if (node.path("type").asText().equals("epoch")) {
                last = node;
            }
        }
        if (last == null) {
            throw new AssertionError(metrics + " has no epoch line:\n" + Files.readString(metrics));
        }
        return last;
    }
}
