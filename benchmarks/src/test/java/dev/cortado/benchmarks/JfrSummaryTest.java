package dev.cortado.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/jfr_summary.py} on a few samples in {@code jfr print}'s text form: each sample is charged to the
 * range its thread ran (through a lambda its range body calls), to its kernel with the Vector API's frames folded
 * in, or to the hand-off's waits; the samples of the first seconds are left out whatever order jfr prints them in.
 */
class JfrSummaryTest {
    private static final Path SCRIPT = Path.of("scripts", "jfr_summary.py");

    @Test
    void chargesEachSampleToItsRangeKernelOrWait(@TempDir Path dir) throws IOException, InterruptedException {
        String recording = String.join("\n",
                sample("12:00:02.000", "jdk.incubator.vector.Float512Vector.fromArray0",
                        "dev.cortado.cpu.VectorLoops.convolveFour",
                        "dev.cortado.cpu.WideDirectConvolution.lambda$forward$0", "dev.cortado.cpu.Parallel$Job.work",
                        "dev.cortado.cpu.Parallel$Worker.run"),
                sample("12:00:00.000", "dev.cortado.cpu.VectorLoops.zip", "dev.cortado.cpu.ElementwiseOps.zip"),
                sample("12:00:02.500", "dev.cortado.cpu.VectorLoops.laneProducts",
                        "dev.cortado.cpu.LaneConvolution.lambda$backwardWeight$0",
                        "dev.cortado.cpu.DirectConvolution.lambda$sumOverImages$2", "dev.cortado.cpu.Parallel$Job.work",
                        "dev.cortado.cpu.Parallel$Team.tryRun", "dev.cortado.cpu.Parallel.forRange"),
                sample("12:00:03.000", "java.lang.Thread.yield", "dev.cortado.cpu.Parallel$Worker.await",
                        "dev.cortado.cpu.Parallel$Worker.run"),
                sample("12:00:03.100", "java.lang.Thread.onSpinWait", "dev.cortado.cpu.Parallel$Team.tryRun",
                        "dev.cortado.cpu.Parallel.forRange"),
                sample("12:00:04.000", "dev.cortado.cpu.VectorLoops.zip", "dev.cortado.cpu.ElementwiseOps.zip",
                        "dev.cortado.cpu.CpuBackend.doZip", "dev.cortado.backend.Backend.zip"));
        List<String> out = summarize(dir, recording, "--skip-seconds", "1");

        assertEquals("5 samples after the first 1 s", out.get(0));
        assertTrue(out.contains("   20.0%  WideDirectConvolution.forward"), String.join("\n", out));
        assertTrue(out.contains("   20.0%  LaneConvolution.backwardWeight"), String.join("\n", out));
        assertTrue(out.contains("   20.0%  VectorLoops.zip"), String.join("\n", out));
        assertTrue(out.contains("   20.0%  VectorLoops.convolveFour"), String.join("\n", out));
        assertTrue(out.contains("   20.0%  the worker, between ranges"), String.join("\n", out));
        assertTrue(out.contains("   20.0%  the caller, at a range's end"), String.join("\n", out));
        assertTrue(out.stream().noneMatch(line -> line.contains("Float512Vector") || line.contains("sumOverImages")),
                String.join("\n", out));
    }

    /** One execution sample as {@code jfr print} writes it, frames innermost first. */
    private static String sample(String time, String... frames) {
        StringBuilder s = new StringBuilder("jdk.ExecutionSample {\n  startTime = " + time + "\n"
                + "  sampledThread = \"main\" (javaThreadId = 1)\n  state = \"STATE_RUNNABLE\"\n  stackTrace = [\n");
        for (String frame : frames) {
            s.append("    ").append(frame).append("(float[], int) line: 1\n");
        }
        return s.append("  ]\n}\n").toString();
    }

    private static List<String> summarize(Path dir, String recording, String... args)
            throws IOException, InterruptedException {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python),
                "no /usr/bin/python3: scripts/jfr_summary.py is not checked here");
        Path input = Files.writeString(dir.resolve("samples.txt"), recording);
        Path output = dir.resolve("summary.txt");
        List<String> command = new ArrayList<>(List.of(python.toString(), SCRIPT.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectInput(input.toFile()).redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "jfr_summary.py did not finish in 60 s");
        assertEquals(0, process.exitValue(), "jfr_summary.py's exit code");
        return Files.readAllLines(output, StandardCharsets.UTF_8);
    }
}
