package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.train.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run per --out, and nothing of a run lost: the lock, the files that mark a run, and what crashes leave. */
class OutputDirectoryIT {
    @TempDir
    static Path tmp;
    static Path sample;

    @BeforeAll
    static void data() throws Exception {
        sample = CortadoProcess.sampleData(tmp.resolve("sample"));
    }

    private static List<String> args(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--model", "mlp", "--data", sample.toString(), "--out",
                out.toString(), "--limit-test", "20", "--batch-size", "4", "--log-every", "10"));
        args.addAll(List.of(extra));
        return args;
    }

    private static CortadoProcess.Result run(List<String> args) throws Exception {
        return CortadoProcess.run(args.toArray(String[]::new));
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /** The probe: two runs started together into one --out, with seeds 1 and 2; both said they wrote it. */
    @Test
    void twoRunsStartedTogetherIntoOneOutputDirectoryOneIsRefusedNamingTheOther() throws Exception {
        Path out = tmp.resolve("race");
        CortadoProcess first = CortadoProcess.start(Map.of(), args(out, "--epochs", "4", "--seed", "1")
                .toArray(String[]::new));
        CortadoProcess second = CortadoProcess.start(Map.of(), args(out, "--epochs", "4", "--seed", "2")
                .toArray(String[]::new));
        CortadoProcess.Result a = first.waitFor();
        CortadoProcess.Result b = second.waitFor();
        List<CortadoProcess.Result> refused = Stream.of(a, b).filter(r -> r.exitCode() == 6).toList();
        List<CortadoProcess.Result> ran = Stream.of(a, b).filter(r -> r.exitCode() == 0).toList();
        assertEquals(1, refused.size(), "exit codes " + a.exitCode() + " " + a.errors() + " and " + b.exitCode()
                + " " + b.errors());
        assertEquals(1, ran.size());
        List<String> errors = refused.get(0).errors();
        assertEquals(1, errors.size(), errors.toString());
        long winner = (ran.get(0) == a ? first : second).process().pid();
        assertTrue(errors.get(0).matches(Pattern.quote("cortado train: " + out + " is in use by another run (pid "
                + winner + " on ") + "[^,]+" + Pattern.quote(", " + out.resolve(RunLock.FILE_NAME) + "): wait for it "
                + "to end or stop it, or choose another --out")), errors.get(0));
        long seed = ran.get(0) == a ? 1 : 2;
        assertEquals(seed, Checkpoint.read(out.resolve("last.safetensors")).config().seed());
        assertEquals(seed, Checkpoint.read(out.resolve("epoch-001.safetensors")).config().seed());
    }

    @Test
    void overwritingARunThatIsTrainingIsRefusedAndTheRunEndsIntact() throws Exception {
        Path out = tmp.resolve("busy");
        CortadoProcess training = CortadoProcess.start(Map.of(), args(out, "--epochs", "10").toArray(String[]::new));
        assertNotNull(training.readUntil(l -> l.startsWith("epoch 1/10  batch ")), "the run ended early");
        CortadoProcess.Result overwrite = run(args(out, "--epochs", "1", "--overwrite", "--seed", "5"));
        assertEquals(ExitCode.CHECKPOINT.code(), overwrite.exitCode(), overwrite.errors().toString());
        assertTrue(overwrite.errors().get(0).contains(" is in use by another run (pid "
                + training.process().pid() + " on "), overwrite.errors().toString());
        CortadoProcess.Result done = training.waitFor();
        assertEquals(0, done.exitCode(), done.errors().toString());
        Checkpoint last = Checkpoint.read(out.resolve("last.safetensors"));
        assertEquals(42, last.config().seed());
        assertEquals(10, last.history().size());
        assertEquals(42, Checkpoint.read(out.resolve("epoch-001.safetensors")).config().seed());
        assertEquals(14, files(out).size(), files(out).toString());
    }

    /** The probe: last.safetensors gone, epoch checkpoints and metrics there; a new run took the directory over. */
    @Test
    void aRunWhoseLastCheckpointIsGoneIsNeitherOverwrittenNorResumedSilently() throws Exception {
        Path out = tmp.resolve("no-last");
        assertEquals(0, run(args(out, "--epochs", "2", "--limit-train", "100")).exitCode());
        Files.delete(out.resolve("last.safetensors"));
        String metrics = Files.readString(out.resolve("metrics.jsonl"));

        CortadoProcess.Result fresh = run(args(out, "--epochs", "1", "--limit-train", "100"));
        assertEquals(ExitCode.CHECKPOINT.code(), fresh.exitCode());
        assertEquals(List.of("cortado train: " + out + " already holds a run (epoch-001.safetensors, "
                + "epoch-002.safetensors, metrics.jsonl, metrics.png) but not its last.safetensors: to continue from "
                + "the last epoch, copy " + out.resolve("epoch-002.safetensors") + " to "
                + out.resolve("last.safetensors") + " and use --resume; to start over, use --overwrite, or choose "
                + "another --out"), fresh.errors());
        CortadoProcess.Result auto = run(args(out, "--epochs", "1", "--limit-train", "100", "--auto-resume"));
        assertEquals(ExitCode.CHECKPOINT.code(), auto.exitCode());
        assertEquals(metrics, Files.readString(out.resolve("metrics.jsonl")));

        CortadoProcess.Result over = run(args(out, "--epochs", "1", "--limit-train", "100", "--overwrite"));
        assertEquals(0, over.exitCode(), over.errors().toString());
        assertEquals(List.of(".cortado.lock", "epoch-001.safetensors", "last.safetensors", "metrics.jsonl",
                "metrics.png"), files(out), "the old run's epoch-002 was left beside the new run");
        assertEquals(1, Checkpoint.read(out.resolve("epoch-001.safetensors")).config().epochs());
    }

    /** The probe: each SIGKILL during a write left a .last.safetensors.PID.tmp (53 MB in one case) for good. */
    @Test
    void theTemporaryFileOfAWriteCutShortBySigkillIsRemovedByTheNextRun() throws Exception {
        Path spec = Files.writeString(tmp.resolve("wide.json"), "{\"name\": \"wide\", \"input\": [1, 28, 28], "
                + "\"layers\": [{\"type\": \"flatten\"}, {\"type\": \"linear\", \"out\": 8192}, {\"type\": \"relu\"}, "
                + "{\"type\": \"linear\", \"out\": 10}]}");
        // Each checkpoint is 52 MB: the process is killed while one is being written, which a few tries catch.
        for (int attempt = 1; attempt <= 5; attempt++) {
            Path out = tmp.resolve("killed-" + attempt);
            List<String> train = new ArrayList<>(List.of("train", "--model", spec.toString(), "--data",
                    sample.toString(), "--out", out.toString(), "--limit-train", "40", "--limit-test", "20",
                    "--batch-size", "4", "--epochs", "1"));
            CortadoProcess run = CortadoProcess.start(Map.of(), Stream.concat(train.stream(),
                    Stream.of("--checkpoint-every", "1")).toArray(String[]::new));
            Path temp = writeInProgress(run, out);
            run.process().toHandle().destroyForcibly();
            assertTrue(run.process().waitFor(30, TimeUnit.SECONDS));
            if (temp == null || !Files.exists(temp)) {
                continue; // the write ended between the look and the kill
            }
            train.addAll(List.of("--resume", "--checkpoint-every", "0"));
            CortadoProcess.Result resumed = CortadoProcess.run(train.toArray(String[]::new));
            assertEquals(0, resumed.exitCode(), resumed.errors().toString());
            assertFalse(Files.exists(temp), temp + " is still there");
            assertTrue(files(out).stream().noneMatch(f -> f.endsWith(".tmp")), files(out).toString());
            return;
        }
        throw new AssertionError("no kill in 5 tries came while a checkpoint was being written");
    }

    /** The temporary file of a checkpoint write after the first one, once one is seen. */
    private static Path writeInProgress(CortadoProcess run, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (run.process().isAlive() && System.nanoTime() < deadline) {
            if (Files.exists(out.resolve("last.safetensors"))) {
                try (Stream<Path> files = Files.list(out)) {
                    Path temp = files.filter(f -> f.getFileName().toString()
                            .matches("\\.last\\.safetensors\\.\\d+\\.tmp")).findFirst().orElse(null);
                    if (temp != null) {
                        return temp;
                    }
                }
            }
            Thread.sleep(1);
        }
        return null;
    }

    @Test
    void anEmptyOutputDirectoryNameIsRefused() throws Exception {
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", CortadoProcess.jar().toString(), "train", "--model", "mlp", "--data",
                sample.toString(), "--out", "");
        builder.directory(cwd.toFile());
        builder.redirectErrorStream(true);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(ExitCode.USAGE.code(), p.waitFor(), output);
        assertTrue(output.contains("cortado train: --out must name a directory, got an empty string (for the "
                + "current directory, give --out .)"), output);
        assertEquals(List.of(), files(cwd));
    }
}
