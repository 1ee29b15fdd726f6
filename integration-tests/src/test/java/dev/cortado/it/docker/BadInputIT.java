package dev.cortado.it.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.cli.ExitCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes in how a job is started: the job ends at once with the exit code the CLI documents for the mistake and
 * one line on stderr that names the directory.
 */
class BadInputIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path tmp;

    @Test
    void defaultCommandWithoutMountedDataExitsWithTheDataCode() throws Exception {
        // No arguments: the image's default command, train --data /data --out /out, with no /data mounted.
        Job.Finished job = Job.of().out(Dirs.out(tmp, "out")).run(TIMEOUT);

        assertEquals(ExitCode.DATA.code(), job.exitCode(), job.describe());
        assertOneLineNaming("/data", job);
    }

    @Test
    void outputDirectoryTheJobCannotWriteExitsWithTheOutputCode() throws Exception {
        // The usual mistake: a host directory only root may write, while the image runs as the user cortado.
        Path out = Dirs.withMode(Dirs.out(tmp, "out"), "r-xr-xr-x");
        Job.Finished job = Job.of("train", "--data", "/data", "--out", "/out", "--epochs", "1")
                .data(Dirs.sampleData(tmp)).out(out).run(TIMEOUT);

        assertEquals(ExitCode.OUTPUT.code(), job.exitCode(), job.describe());
        assertOneLineNaming("/out", job);
    }

    private static void assertOneLineNaming(String dir, Job.Finished job) {
        List<String> lines = job.errorLines();
        System.out.println("exit code " + job.exitCode() + ", stderr: " + lines);
        assertEquals(1, lines.size(), job.describe());
        assertTrue(lines.get(0).startsWith("cortado train: ") && lines.get(0).contains(dir), job.describe());
        assertTrue(job.stdout().isBlank(), job.describe());
    }
}
