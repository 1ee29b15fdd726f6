package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.io.HostTensor;
import dev.cortado.train.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged, non-finite and unreadable checkpoints, as eval and --resume meet them. */
class CheckpointIntegrityIT {
    @TempDir
    static Path tmp;
    static Path sample;
    static Path run;

    @BeforeAll
    static void trainOneEpoch() throws Exception {
        sample = CortadoProcess.sampleData(tmp.resolve("sample"));
        run = tmp.resolve("run");
        CortadoProcess.Result r = CortadoProcess.run(train(run, 1).toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.errors().toString());
    }

    private static List<String> train(Path out, int epochs, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--model", "mlp", "--data", sample.toString(), "--out",
                out.toString(), "--epochs", Integer.toString(epochs), "--limit-train", "100", "--limit-test", "20"));
        args.addAll(List.of(extra));
        return args;
    }

    private static CortadoProcess.Result eval(Path checkpoint) throws Exception {
        return CortadoProcess.run("eval", "--checkpoint", checkpoint.toString(), "--data", sample.toString(),
                "--limit", "20");
    }

    /** The probe: 40 of 40 copies with random bit flips loaded, one evaluating to a loss of 6e34. */
    @Test
    void evalRefusesACopyWithAFlippedBitInTheDataOrTheHeader() throws Exception {
        byte[] good = Files.readAllBytes(run.resolve("last.safetensors"));
        for (int position : new int[] {good.length - 1000, 300}) {
            byte[] bad = good.clone();
            bad[position] ^= 0x04;
            Path copy = Files.write(tmp.resolve("flipped-" + position + ".safetensors"), bad);
            CortadoProcess.Result r = eval(copy);
            assertEquals(ExitCode.CHECKPOINT.code(), r.exitCode(), r.out());
            assertEquals(1, r.errors().size(), r.errors().toString());
            assertTrue(r.errors().get(0).startsWith("cortado eval: " + copy + ": corrupt file: "), r.errors().get(0));
            assertTrue(r.errors().get(0).endsWith("; it was damaged after it was written (disk, copy or transfer)"),
                    r.errors().get(0));
        }
    }

    /** The probe: a NaN weight loaded, and a resume from it called it "the last good checkpoint". */
    @Test
    void nonFiniteWeightsAreReportedByEvalAndRefusedByResume() throws Exception {
        Path out = tmp.resolve("nan");
        Files.createDirectories(out);
        Checkpoint good = Checkpoint.read(run.resolve("last.safetensors"));
        Map<String, HostTensor> tensors = new LinkedHashMap<>(good.tensors());
        float[] weight = tensors.get("1.weight").data().clone();
        weight[7] = Float.NaN;
        tensors.put("1.weight", new HostTensor(tensors.get("1.weight").shape(), weight));
        Path poisoned = out.resolve("last.safetensors");
        new Checkpoint(good.spec(), good.config(), good.position(), good.history(), good.partialEpoch(),
                good.dropoutCalls(), tensors, true).write(poisoned);

        CortadoProcess.Result evaluated = eval(poisoned);
        assertEquals(0, evaluated.exitCode(), evaluated.errors().toString());
        assertEquals(List.of("cortado eval: warning: " + poisoned + " holds NaN or infinite values: 1.weight (1 NaN "
                + "of 200704 values); the results below are not meaningful"), evaluated.errors());

        CortadoProcess.Result resumed = CortadoProcess.run(train(out, 2, "--resume")
                .toArray(String[]::new));
        assertEquals(ExitCode.CHECKPOINT.code(), resumed.exitCode(), resumed.out());
        assertEquals(List.of("cortado train: --resume: " + poisoned + ": holds NaN or infinite values, which "
                + "training cannot continue from: 1.weight (1 NaN of 200704 values); resume from an earlier "
                + "checkpoint (epoch-NNN.safetensors) or start over"), resumed.errors());
    }

    /**
     * The probe: an unreadable checkpoint's message left out "permission denied". Root reads every file, so as
     * root the eval runs as nobody.
     */
    @Test
    void anUnreadableCheckpointSaysPermissionDenied() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("private"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = Files.copy(run.resolve("last.safetensors"), dir.resolve("last.safetensors"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        List<String> command = new ArrayList<>();
        if (System.getProperty("user.name").equals("root")) {
            command.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData", "-jar", CortadoProcess.jar().toString(), "eval", "--checkpoint", file.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(ExitCode.CHECKPOINT.code(), p.waitFor(), output);
        assertTrue(output.endsWith("cortado eval: " + file + ": unreadable: permission denied"), output);
    }
}
