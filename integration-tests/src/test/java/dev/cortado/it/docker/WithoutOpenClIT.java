package dev.cortado.it.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job image with no OpenCL library at all: {@code devices} gives the reason in its table, and no command
 * prints the OpenCL binding's own "Could not load libOpenCL.so.1" lines on stderr.
 */
class WithoutOpenClIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path tmp;

    @Test
    void devicesAndTrainSayNothingOnStderr() throws Exception {
        String image = JobImage.withoutOpenCl();
        Job.Finished devices = Job.of("devices").image(image).run(TIMEOUT);
        assertEquals(0, devices.exitCode(), devices.describe());
        assertEquals(List.of(), devices.errorLines(), devices.describe());
        assertTrue(devices.stdout().lines().anyMatch(l -> l.startsWith("opencl:0") && l.contains(
                "unavailable: no OpenCL library (libOpenCL.so.1)")), devices.describe());

        Job.Finished train = Job.of("train", "--model", "mlp", "--data", "/data", "--out", "/out", "--epochs", "1",
                "--limit-train", "256", "--limit-test", "64").image(image).data(Dirs.sampleData(tmp))
                .out(Dirs.out(tmp, "out")).run(TIMEOUT);
        assertEquals(0, train.exitCode(), train.describe());
        assertEquals(List.of(), train.errorLines(), train.describe());
    }
}
