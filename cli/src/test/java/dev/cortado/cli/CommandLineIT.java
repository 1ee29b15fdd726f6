package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cortado.data.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The real command as a process: help, version, devices, selftest, bench, and every kind of bad input. */
class CommandLineIT {
    @TempDir
    static Path tmp;
    static Path sample;
    static Path aFile;
    static Path mlpRun;

    @BeforeAll
    static void prepare() throws Exception {
        sample = CortadoProcess.sampleData(tmp.resolve("sample"));
        aFile = Files.writeString(tmp.resolve("a-file"), "not a directory");
        Files.writeString(tmp.resolve("small-rgb.json"), "{\"name\": \"small-rgb\", \"input\": [3, 32, 32], "
                + "\"layers\": [{\"type\": \"flatten\"}, {\"type\": \"linear\", \"out\": 10}]}");
        Files.writeString(tmp.resolve("broken.json"), "{\"name\": \"broken\", \"input\": [1, 28, 28],\n"
                + "  \"layers\": [{\"type\": \"flatten\"}, {\"type\": \"linear\", \"out\": 10,}]}\n");
        Files.writeString(tmp.resolve("deep-linear.json"), "{\"name\": \"deep-linear\", \"input\": [1, 28, 28], "
                + "\"layers\": [{\"type\": \"flatten\"}, {\"type\": \"linear\", \"out\": 64}, "
                + "{\"type\": \"linear\", \"out\": 64}, {\"type\": \"linear\", \"out\": 10}]}");
        for (String[] spec : new String[][] {
                {"k1000", "{\"type\": \"flatten\"}, {\"type\": \"linear\", \"out\": 1000}"},
                {"five", "{\"type\": \"flatten\"}, {\"type\": \"linear\", \"out\": 5}"},
                {"conv-end", "{\"type\": \"conv2d\", \"out\": 6, \"kernel\": 5}"},
                {"huge", "{\"type\": \"flatten\"}, {\"type\": \"linear\", \"out\": 2147483647}, "
                        + "{\"type\": \"linear\", \"out\": 10}"}}) {
            Files.writeString(tmp.resolve(spec[0] + ".json"), "{\"name\": \"" + spec[0] + "\", \"input\": [1, 28, 28], "
                    + "\"layers\": [" + spec[1] + "]}");
        }
        Files.writeString(tmp.resolve("flat784.json"), "{\"name\": \"flat784\", \"input\": [784], \"layers\": "
                + "[{\"type\": \"linear\", \"out\": 10}]}");
        TestData.images(tmp.resolve("data32"), Split.TRAIN, 100, 32);
        TestData.images(tmp.resolve("data32"), Split.TEST, 20, 32);
        TestData.images(tmp.resolve("mixed"), Split.TRAIN, 100, 28);
        TestData.images(tmp.resolve("mixed"), Split.TEST, 20, 32);
        Files.createDirectories(tmp.resolve("labels-only"));
        Files.write(tmp.resolve("labels-only/train-labels-idx1-ubyte"), new byte[0]);
        Files.createDirectories(tmp.resolve("empty"));
        // CIFAR-10 binary files whose training file ends in a record cut short.
        Files.createDirectories(tmp.resolve("cifar-cut"));
        Files.write(tmp.resolve("cifar-cut/data_batch_1.bin"), new byte[3073 + 100]);
        Files.write(tmp.resolve("cifar-cut/test_batch.bin"), new byte[3073]);
        // An image folder with a file that is not an image.
        Files.createDirectories(tmp.resolve("images-bad/train/cat"));
        Files.createDirectories(tmp.resolve("images-bad/test/cat"));
        Files.writeString(tmp.resolve("images-bad/train/cat/broken.png"), "not a PNG");
        Files.writeString(tmp.resolve("images-bad/test/cat/broken.png"), "not a PNG");
        // A table with a missing value.
        Files.createDirectories(tmp.resolve("table"));
        Files.writeString(tmp.resolve("table/train.csv"), "a,b,y\n1,2,x\n3,,y\n");
        Files.writeString(tmp.resolve("table/test.csv"), "a,b,y\n1,2,x\n");
        // A finished mlp run, for --resume with another model.
        mlpRun = tmp.resolve("mlp-run");
        CortadoProcess.Result r = CortadoProcess.run("train", "--model", "mlp", "--data", sample.toString(),
                "--out", mlpRun.toString(), "--epochs", "1", "--limit-train", "64", "--limit-test", "10");
        assertEquals(0, r.exitCode(), r.errors().toString());
    }

    @Test
    void versionAndHelpListEveryCommandAndTheExitCodes() throws Exception {
        CortadoProcess.Result version = CortadoProcess.run("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().startsWith("cortado " + Main.version()), version.out());
        CortadoProcess.Result help = CortadoProcess.run("--help");
        assertEquals(0, help.exitCode());
        for (String text : List.of("devices", "train", "eval", "predict", "selftest", "bench", "Exit codes:",
                "130")) {
            assertTrue(help.out().contains(text), text + " missing from\n" + help.out());
        }
        CortadoProcess.Result trainHelp = CortadoProcess.run("train", "--help");
        assertEquals(0, trainHelp.exitCode());
        assertTrue(trainHelp.out().contains("--checkpoint-every"), trainHelp.out());
    }

    @Test
    void devicesListsTheCpuAsAvailableAndExitsZero() throws Exception {
        CortadoProcess.Result table = CortadoProcess.run("devices");
        assertEquals(0, table.exitCode(), table.errors().toString());
        assertTrue(table.stdout().get(0).matches("DEVICE +NAME +KIND +MEMORY +UNITS +STATUS"), table.out());
        assertTrue(table.stdout().stream().anyMatch(l -> l.startsWith("cpu ") && l.endsWith("available")),
                table.out());
        CortadoProcess.Result json = CortadoProcess.run("devices", "--json");
        assertEquals(0, json.exitCode());
        JsonNode devices = new ObjectMapper().readTree(json.out());
        assertEquals("cpu", devices.get(0).path("device").asText());
        assertTrue(devices.get(0).path("available").asBoolean());
        assertTrue(devices.get(0).path("details").has("gemm"));
    }

    @Test
    void theLauncherScriptRunsTheJarWithJavaHome() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", CortadoProcess.root().resolve("cortado").toString(),
                "--version");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.redirectErrorStream(true);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("cortado " + Main.version()), output);
        assertFalse(output.contains("building"), "the launcher rebuilt an up-to-date jar:\n" + output);
    }

    @Test
    void selftestPassesEveryOpOnTheCpu() throws Exception {
        CortadoProcess.Result r = CortadoProcess.run("selftest", "--device", "cpu");
        assertEquals(0, r.exitCode(), r.out());
        assertTrue(r.out().contains("gemm NT 37x29x53"), r.out());
        assertTrue(r.out().contains("adamUpdate"), r.out());
        String last = r.stdout().get(r.stdout().size() - 1);
        assertTrue(last.matches("selftest: (\\d+) of \\1 ops passed"), last);
    }

    @Test
    void benchReportsMediansAsJson() throws Exception {
        CortadoProcess.Result r = CortadoProcess.run("bench", "--models", "mlp", "--batch-size", "16", "--batches",
                "2", "--warmup", "1", "--warmup-seconds", "0", "--repeats", "3", "--json");
        assertEquals(0, r.exitCode(), r.errors().toString());
        JsonNode result = new ObjectMapper().readTree(r.out()).path("results").get(0);
        assertEquals("mlp", result.path("model").asText());
        assertEquals(1, result.path("warmups").asInt());
        assertEquals(0.0, result.path("warmup_seconds").asDouble());
        assertEquals(3, result.path("train_runs").size());
        assertTrue(result.path("train_images_per_second").asDouble() > 0);
        assertTrue(result.path("inference_images_per_second").asDouble() > 0);
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(ExitCode.MODEL, "unknown model 'resnet'", List.of("train", "--model", "resnet")),
                Arguments.of(ExitCode.MODEL, "broken.json: malformed JSON at line 2, column 64",
                        List.of("train", "--model", "@broken.json")),
                Arguments.of(ExitCode.DATA, "missing train-images-idx3-ubyte[.gz]",
                        List.of("train", "--data", "@labels-only")),
                Arguments.of(ExitCode.DATA, "empty: no dataset found in it (expected MNIST-format IDX files",
                        List.of("train", "--data", "@empty")),
                Arguments.of(ExitCode.DATA, "data_batch_1.bin: record 1 is truncated: it has 100 of its 3073 bytes",
                        List.of("train", "--data", "@cifar-cut", "--model", "@small-rgb.json")),
                Arguments.of(ExitCode.DATA, "train/cat/broken.png: not an image the JDK can decode",
                        List.of("train", "--data", "@images-bad", "--model", "@small-rgb.json")),
                Arguments.of(ExitCode.DATA, "train.csv: line 3: column 'b' is empty (a missing value)",
                        List.of("train", "--data", "@table", "--model", "mlp")),
                Arguments.of(ExitCode.USAGE, "--augment crops and flips images",
                        List.of("train", "--data", "@table/train.csv", "--augment")),
                Arguments.of(ExitCode.DATA, "a-file: not an image the JDK can decode",
                        List.of("predict", "--checkpoint", "@mlp-run/last.safetensors", "@a-file")),
                Arguments.of(ExitCode.DATA, "missing.png: no such file or directory",
                        List.of("predict", "--checkpoint", "@mlp-run/last.safetensors", "@missing.png")),
                Arguments.of(ExitCode.USAGE, "batch size must be 1..65536, got 0", List.of("train", "--batch-size", "0")),
                Arguments.of(ExitCode.USAGE, "learning rate must be a number in (0, 100.0], got NaN",
                        List.of("train", "--lr", "NaN")),
                Arguments.of(ExitCode.USAGE, "epochs must be 1..100000, got 0", List.of("train", "--epochs", "0")),
                Arguments.of(ExitCode.USAGE, "label smoothing must be in [0, 1], got 1.5",
                        List.of("train", "--label-smoothing", "1.5")),
                Arguments.of(ExitCode.USAGE, "gradient clipping norm must be a number >= 0 (0 for none), got -1.0",
                        List.of("train", "--clip-grad-norm", "-1")),
                Arguments.of(ExitCode.USAGE, "batch size must be 1..65536, got 1000000",
                        List.of("train", "--batch-size", "1000000")),
                Arguments.of(ExitCode.USAGE, "Invalid value for option '--epochs'",
                        List.of("train", "--epochs", "three")),
                Arguments.of(ExitCode.CHECKPOINT, "--resume: no checkpoint in",
                        List.of("train", "--resume", "--out", "@no-run")),
                Arguments.of(ExitCode.CHECKPOINT, "is from model 'mlp', not 'lenet5'",
                        List.of("train", "--resume", "--out", "@mlp-run", "--epochs", "1", "--limit-train", "64",
                                "--limit-test", "10")),
                Arguments.of(ExitCode.CHECKPOINT, "already holds a run",
                        List.of("train", "--model", "mlp", "--out", "@mlp-run")),
                Arguments.of(ExitCode.OUTPUT, "a-file exists and is not a directory",
                        List.of("train", "--out", "@a-file/sub")),
                Arguments.of(ExitCode.DEVICE, "no device cuda:5; devices here: cpu (available), opencl:0 (",
                        List.of("train", "--device", "cuda:5")),
                Arguments.of(ExitCode.DEVICE, "not a device: 'tpu'", List.of("selftest", "--device", "tpu")),
                Arguments.of(ExitCode.CHECKPOINT, "no such checkpoint file",
                        List.of("eval", "--checkpoint", "@missing.safetensors")),
                // Found before step 0 (the probes found them after an epoch, or as "bad command line").
                Arguments.of(ExitCode.MODEL, "model 'deep-linear' takes samples of [1, 28, 28], but the training "
                        + "data's are [1, 32, 32]: give the model spec \"input\": [1, 32, 32]",
                        List.of("train", "--model", "@deep-linear.json", "--data", "@data32")),
                Arguments.of(ExitCode.USAGE, "--image-shape: expected CHANNELS,HEIGHT,WIDTH with 1 or 3 channels, "
                        + "e.g. 3,32,32; got '2,32,32'", List.of("train", "--image-shape", "2,32,32")),
                Arguments.of(ExitCode.MODEL, "model 'k1000' gives 1000 outputs per sample, but the training data has "
                        + "10 classes", List.of("train", "--model", "@k1000.json")),
                Arguments.of(ExitCode.MODEL, "model 'five' gives 5 outputs per sample, but the training data has 10 "
                        + "classes", List.of("train", "--model", "@five.json")),
                Arguments.of(ExitCode.MODEL, "model 'conv-end' ends in layers[0] (conv2d), whose output for a sample "
                        + "is [6, 24, 24]", List.of("train", "--model", "@conv-end.json")),
                Arguments.of(ExitCode.MODEL, "model 'flat784' takes samples of [784], but the training data's are "
                        + "[1, 28, 28]", List.of("train", "--model", "@flat784.json")),
                Arguments.of(ExitCode.MODEL, "layers[1] (linear) of model 'huge' would hold 1,685,774,662,895 "
                        + "parameters", List.of("train", "--model", "@huge.json")),
                Arguments.of(ExitCode.MODEL, "model 'mlp' takes samples of [1, 28, 28], but the test data's are "
                        + "[1, 32, 32]", List.of("eval", "--checkpoint", "@mlp-run/last.safetensors", "--data",
                        "@data32")),
                Arguments.of(ExitCode.DATA, "mixed: the test data has samples of [1, 32, 32] with 10 classes, the "
                        + "training data [1, 28, 28] with 10 classes", List.of("train", "--model", "mlp", "--data", "@mixed")),
                Arguments.of(ExitCode.DIVERGED, "loss became Infinity at step ",
                        List.of("train", "--model", "@deep-linear.json", "--lr", "100", "--out", "@diverged",
                                "--checkpoint-every", "1", "--limit-test", "10")));
    }

    /** Replaces '@name' by a path in the test's directory and adds the sample data to train and eval. */
    private static String[] arguments(List<String> template) {
        List<String> args = new ArrayList<>();
        for (String arg : template) {
            args.add(arg.startsWith("@") ? tmp.resolve(arg.substring(1)).normalize().toString() : arg);
        }
        boolean hasData = template.contains("--data");
        if (!hasData && (template.get(0).equals("train") || template.get(0).equals("eval"))) {
            args.addAll(List.of("--data", sample.toString()));
        }
        if (template.get(0).equals("train") && !template.contains("--out")) {
            args.addAll(List.of("--out", tmp.resolve("out-" + System.nanoTime()).toString()));
        }
        return args.toArray(String[]::new);
    }

    @ParameterizedTest
    @MethodSource("badInput")
    void badInputIsOneLineOnStderrWithItsExitCode(ExitCode code, String message, List<String> template)
            throws Exception {
        CortadoProcess.Result r = CortadoProcess.run(arguments(template));
        List<String> errors = r.errors();
        assertEquals(code.code(), r.exitCode(), errors.toString());
        assertEquals(1, errors.size(), "expected one line on stderr, got " + errors);
        String line = errors.get(0);
        assertTrue(line.startsWith("cortado " + template.get(0) + ": "), line);
        assertTrue(line.contains(message), "'" + message + "' missing from: " + line);
    }

    @Test
    void aDivergingRunKeepsItsLastGoodCheckpoint() throws Exception {
        Path out = tmp.resolve("diverged-kept");
        CortadoProcess.Result r = CortadoProcess.run(arguments(List.of("train", "--model", "@deep-linear.json",
                "--lr", "100", "--out", out.toString(), "--checkpoint-every", "1", "--limit-test", "10")));
        assertEquals(ExitCode.DIVERGED.code(), r.exitCode());
        String line = r.errors().get(0);
        long failedStep = Long.parseLong(line.replaceAll(".*loss became \\S+ at step (\\d+) .*", "$1"));
        assertTrue(line.contains("kept the last good checkpoint " + out.resolve("last.safetensors")), line);
        assertTrue(line.endsWith("(step " + failedStep + "))"), line);
        CortadoProcess.Result eval = CortadoProcess.run("eval", "--checkpoint", out.resolve("last.safetensors")
                .toString(), "--data", sample.toString(), "--limit", "10");
        assertEquals(0, eval.exitCode(), eval.errors().toString());
        assertTrue(eval.out().contains("step " + failedStep + ")"), eval.out());
    }

    /** The probe: a misfit wrote a step-0 checkpoint, so the corrected command then needed --overwrite. */
    @Test
    void aRunRefusedBeforeStepZeroLeavesNoRunBehind() throws Exception {
        Path out = tmp.resolve("refused");
        CortadoProcess.Result refused = CortadoProcess.run(arguments(List.of("train", "--model", "@k1000.json",
                "--out", out.toString())));
        assertEquals(ExitCode.MODEL.code(), refused.exitCode());
        try (var files = Files.list(out)) {
            assertEquals(List.of(RunLock.FILE_NAME), files.map(f -> f.getFileName().toString()).toList());
        }
        CortadoProcess.Result corrected = CortadoProcess.run(arguments(List.of("train", "--model", "mlp", "--out",
                out.toString(), "--epochs", "1", "--limit-train", "64", "--limit-test", "10")));
        assertEquals(0, corrected.exitCode(), corrected.errors().toString());
    }

    @Test
    void verboseAddsTheStackTrace() throws Exception {
        CortadoProcess.Result plain = CortadoProcess.run("train", "--model", "resnet");
        assertFalse(String.join("\n", plain.stderr()).contains("\tat "), plain.stderr().toString());
        CortadoProcess.Result verbose = CortadoProcess.run("train", "--model", "resnet", "--verbose");
        assertEquals(ExitCode.MODEL.code(), verbose.exitCode());
        assertTrue(String.join("\n", verbose.stderr()).contains("\tat dev.cortado.cli.ModelOption.resolve"),
                verbose.stderr().toString());
    }

    @Test
    void anUnavailableDeviceFromTheEnvironmentIsAnErrorToo() throws Exception {
        CortadoProcess.Result r = CortadoProcess.start(Map.of("CORTADO_DEVICE", "opencl:3"), "selftest").waitFor();
        assertEquals(ExitCode.DEVICE.code(), r.exitCode());
        assertEquals(1, r.errors().size(), r.errors().toString());
        assertTrue(r.errors().get(0).startsWith("cortado selftest: no device opencl:3; devices here: cpu (available), "
                + "opencl:0 ("), r.errors().toString());
        assertTrue(r.errors().get(0).contains(", cuda:0 ("), r.errors().toString());
    }
}
