package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint trained by Cortado, loaded into the equivalent {@code torch.nn.Sequential} by
 * {@code tools/torch_eval.py}, classifies the test images exactly as {@code cortado eval} does and gives the same
 * mean loss: the weight layout and every layer's semantics (batch norm's running statistics and dropout's
 * evaluation mode included) match PyTorch's. Needs {@code /usr/bin/python3} with PyTorch, which .ci/run installs.
 */
class PyTorchInteropIT {
    /**
     * Every layer type: padding, a non-square dilated kernel, grouped and depthwise convolutions, a residual block
     * with each kind of shortcut, all three poolings, both batch norms, each activation.
     */
    private static final String SPEC = """
            {"name": "every-layer", "input": [1, 28, 28], "layers": [
              {"type": "conv2d", "out": 4, "kernel": 3, "padding": 1}, {"type": "batchnorm"},
              {"type": "leaky_relu", "slope": 0.1}, {"type": "maxpool2d", "kernel": 2},
              {"type": "residual", "main": [
                {"type": "conv2d", "out": 4, "kernel": 3, "padding": 1, "groups": 2}, {"type": "gelu"},
                {"type": "conv2d", "out": 4, "kernel": 3, "padding": 1, "groups": 4, "bias": false},
                {"type": "batchnorm"}], "activation": "silu"},
              {"type": "residual", "main": [
                {"type": "conv2d", "out": 8, "kernel": 3, "stride": 2, "padding": 1, "bias": false},
                {"type": "batchnorm"}, {"type": "relu"},
                {"type": "conv2d", "out": 8, "kernel": 3, "padding": 1, "bias": false}, {"type": "batchnorm"}],
               "shortcut": [{"type": "conv2d", "out": 8, "kernel": 1, "stride": 2, "bias": false},
                            {"type": "batchnorm"}]},
              {"type": "conv2d", "out": 6, "kernel": [3, 2], "padding": 1, "dilation": 2},
              {"type": "avgpool2d", "kernel": 3, "stride": 2, "padding": 1}, {"type": "tanh"},
              {"type": "global_avgpool"}, {"type": "flatten"}, {"type": "dropout", "p": 0.2},
              {"type": "linear", "out": 32}, {"type": "batchnorm"}, {"type": "sigmoid"}, {"type": "linear", "out": 16},
              {"type": "relu"}, {"type": "linear", "out": 10}]}
            """;
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Pattern REPORT = Pattern.compile("accuracy [0-9.]+% \\((\\d+)/(\\d+)\\), loss ([0-9.]+)");

    @TempDir
    static Path tmp;

    @BeforeAll
    static void pytorchIsInstalled() throws Exception {
        boolean python = Files.isExecutable(PYTHON);
        Process probe = python ? new ProcessBuilder(PYTHON.toString(), "-c", "import torch")
                .redirectErrorStream(true).start() : null;
        Assumptions.assumeTrue(probe != null && probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "no PyTorch for /usr/bin/python3 (apt-get install python3-torch): the interoperability check is not"
                        + " run");
    }

    @Test
    void pytorchEvaluatesACortadoCheckpointAsCortadoDoes() throws Exception {
        Path sample = CortadoProcess.sampleData(tmp.resolve("sample"));
        Path spec = Files.writeString(tmp.resolve("every-layer.json"), SPEC);
        Path out = tmp.resolve("run");
        CortadoProcess.Result train = CortadoProcess.run("train", "--model", spec.toString(), "--data",
                sample.toString(), "--out", out.toString(), "--epochs", "1", "--batch-size", "32", "--lr", "0.05",
                "--limit-test", "10");
        assertEquals(0, train.exitCode(), train.errors().toString());
        Path checkpoint = out.resolve("last.safetensors");

        CortadoProcess.Result eval = CortadoProcess.run("eval", "--checkpoint", checkpoint.toString(), "--data",
                sample.toString(), "--device", "cpu");
        assertEquals(0, eval.exitCode(), eval.errors().toString());
        Matcher ours = report(eval.out());

        Process torch = new ProcessBuilder(PYTHON.toString(),
                CortadoProcess.root().resolve("tools/torch_eval.py").toString(), checkpoint.toString(),
                sample.toString()).redirectErrorStream(true).start();
        String torchOut = new String(torch.getInputStream().readAllBytes());
        assertEquals(0, torch.waitFor(), torchOut);
        Matcher theirs = report(torchOut);
        System.out.print("cortado: " + ours.group() + "\npytorch: " + theirs.group() + "\n");

        // Both sum in float in their own order (lanes, threads, PyTorch's AVX-512 or AVX2 code), so an image whose
        // two best logits nearly tie may go either way: at most 2 of the 200 hits may differ.
        assertEquals(ours.group(2), theirs.group(2), "images evaluated");
        assertEquals(Integer.parseInt(ours.group(1)), Integer.parseInt(theirs.group(1)), 2, "hits");
        assertEquals(Double.parseDouble(ours.group(3)), Double.parseDouble(theirs.group(3)), 2e-4, "mean loss");
    }

    private static Matcher report(String text) {
        Matcher m = REPORT.matcher(text);
        assertTrue(m.find(), "no accuracy line in\n" + text);
        return m;
    }
}
