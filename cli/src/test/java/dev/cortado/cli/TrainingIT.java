package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cortado.data.MnistDataset;
import dev.cortado.train.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short real training run and its evaluation, through the command as a process. */
class TrainingIT {
    @TempDir
    Path tmp;

    @Test
    void trainWritesProgressSummaryMetricsPlotAndCheckpointsThatEvalAndPythonRead() throws Exception {
        Path sample = CortadoProcess.sampleData(tmp.resolve("sample"));
        Path out = tmp.resolve("run");
        CortadoProcess.Result train = CortadoProcess.run("train", "--model", "mlp", "--data", sample.toString(),
                "--out", out.toString(), "--epochs", "2", "--batch-size", "32", "--limit-train", "320",
                "--limit-test", "100", "--log-every", "4", "--checkpoint-every", "3");
        assertEquals(0, train.exitCode(), train.errors().toString());
        assertEquals(List.of(), train.errors());
        String text = train.out();
        assertTrue(text.contains("device: cpu ("), text);
        assertTrue(text.contains("data: " + sample + ": IDX (MNIST format), 320 training and 100 test images of "
                + "[1, 28, 28] in 10 classes"), text);
        assertTrue(text.contains("epoch 1/2  batch  4/10  loss "), text);
        assertTrue(text.contains("epoch 2/2 done: train loss "), text);
        assertTrue(text.matches("(?s).*\n *epoch +train loss +train acc +test loss +test acc +images/s +time\n.*"),
                text);
        assertFalse(text.chars().anyMatch(c -> c < 0x20 && c != '\n'), "control characters in plain output");

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            lines.add(new ObjectMapper().readTree(line));
        }
        // Steps 4 and 8 of each epoch of 10 steps: 4, 8, (epoch 1 at 10), 12, 16, 20, (epoch 2 at 20).
        assertEquals(List.of("step:4", "step:8", "epoch:10", "step:12", "step:16", "step:20", "epoch:20"),
                lines.stream().map(l -> l.path("type").asText() + ":" + l.path("step").asInt()).toList());
        assertTrue(lines.get(2).path("test_accuracy").asDouble() > 0.15, lines.get(2).toString());

        byte[] png = Files.readAllBytes(out.resolve("metrics.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        for (String file : List.of("last.safetensors", "epoch-001.safetensors", "epoch-002.safetensors")) {
            assertTrue(Files.exists(out.resolve(file)), file);
        }
        Checkpoint last = Checkpoint.read(out.resolve("last.safetensors"));
        assertEquals(20, last.position().step());
        assertEquals(2, last.history().size());

        CortadoProcess.Result eval = CortadoProcess.run("eval", "--checkpoint", out.resolve("last.safetensors")
                .toString(), "--data", sample.toString(), "--limit", "100");
        assertEquals(0, eval.exitCode(), eval.errors().toString());
        String report = eval.out();
        double accuracy = last.history().get(1).test().accuracy();
        assertTrue(report.contains("accuracy " + Format.percent(accuracy) + " ("), report);
        for (String name : MnistDataset.CLASS_NAMES) {
            assertTrue(report.contains(name), name + " missing from\n" + report);
        }
        assertTrue(report.contains("true \\ predicted"), report);

        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3: the Python reader is not run");
        Process reader = new ProcessBuilder(python.toString(),
                CortadoProcess.root().resolve("tools/read_checkpoint.py").toString(),
                out.resolve("last.safetensors").toString()).redirectErrorStream(true).start();
        String read = new String(reader.getInputStream().readAllBytes());
        assertEquals(0, reader.waitFor(), read);
        assertTrue(read.contains("format: cortado.checkpoint"), read);
        assertTrue(read.contains("tensor 1.weight [256, 784] sum="), read);
        assertTrue(read.contains("tensor optimizer.5.bias.momentum_buffer [10] sum="), read);
    }
}
