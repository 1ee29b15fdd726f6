package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.OutOfDeviceMemoryException;
import dev.cortado.data.BatchProducerException;
import dev.cortado.model.ModelSpec;
import dev.cortado.train.Checkpoint;
import dev.cortado.train.EpochResult;
import dev.cortado.train.TrainingConfig;
import dev.cortado.train.TrainingPosition;
import dev.cortado.train.Evaluation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MainTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"devices", "train", "eval", "selftest", "bench"})
    void everyCommandHasHelpAndVerbose(String command) {
        Run r = run(command, "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Usage: cortado " + command), r.out());
        assertTrue(r.out().contains("--verbose"), r.out());
        assertTrue(r.out().contains("--help"), r.out());
    }

    @Test
    void noCommandIsAUsageErrorOnOneLine() {
        Run r = run();
        assertEquals(ExitCode.USAGE.code(), r.code());
        assertEquals("cortado: missing command: choose one of devices, train, eval, predict, selftest, bench (see 'cortado "
                + "--help')\n", r.err());
    }

    @Test
    void badNumbersAreUsageErrorsNamingTheOption() {
        assertEquals("cortado train: --log-every must be >= 1 step, got 0\n", run("train", "--log-every", "0").err());
        assertEquals("cortado train: --limit-train and --limit-test must be >= 1, got -5\n",
                run("train", "--limit-train", "-5").err());
        assertEquals("cortado train: --resume and --overwrite exclude each other\n",
                run("train", "--resume", "--overwrite").err());
        assertEquals("cortado bench: --repeats must be 1..1000000, got 0\n", run("bench", "--repeats", "0").err());
        assertEquals("cortado bench: --warmup-seconds must be 0..3600, got -1\n",
                run("bench", "--warmup-seconds", "-1").err());
        assertEquals("cortado bench: --warmup-seconds must be 0..3600, got NaN\n",
                run("bench", "--warmup-seconds", "NaN").err());
        assertEquals("cortado eval: --batch-size must be 1..65536, got 0\n",
                run("eval", "--checkpoint", "x", "--batch-size", "0").err());
    }

    /** The probe: an out-of-device-memory batch was an "internal error" with no hint. */
    @Test
    void outOfMemoryAnywhereIsExitTenWithTheFixThatFits() {
        OutOfDeviceMemoryException gpu = new OutOfDeviceMemoryException("out of device memory: requested 4096 bytes, "
                + "0 bytes free on the device");
        assertEquals(ExitCode.OUT_OF_MEMORY, Main.exitCodeOf(gpu));
        assertEquals(gpu.getMessage() + ": lower --batch-size", Main.outOfMemory(gpu));
        OutOfMemoryError heap = new OutOfMemoryError("Java heap space");
        OutOfDeviceMemoryException cpu = new OutOfDeviceMemoryException("Java heap exhausted", heap);
        assertEquals("Java heap exhausted: lower --batch-size, or give Java more heap: CORTADO_JAVA_OPTS=",
                Main.outOfMemory(cpu).replaceAll("=-Xmx\\d+g .*", "="));
        BatchProducerException loader = new BatchProducerException("batch 3 failed", heap);
        assertEquals(ExitCode.OUT_OF_MEMORY, Main.exitCodeOf(loader));
        String message = Main.outOfMemory(loader);
        assertTrue(message.startsWith("out of memory: the Java heap (at most "), message);
    }

    @Test
    void aCheckpointWithoutChecksumsGetsOneNote() {
        Checkpoint old = new Checkpoint(ModelSpec.builtIn("mlp"), TrainingConfig.defaults(), TrainingPosition.start(1),
                List.of(), null, Map.of(), Map.of(), false);
        StringWriter err = new StringWriter();
        CheckpointNote.ifUnchecked(new PrintWriter(err), Path.of("out/last.safetensors"), old);
        assertEquals("cortado: note: out/last.safetensors has no checksums (format version 1, written by an older "
                + "Cortado), so damage to it cannot be detected; checkpoints written from now on have them\n",
                err.toString());
    }

    @Test
    void theSummaryTableHasOneRowPerEpoch() {
        Evaluation test = new Evaluation(0.45, 839, 1000, new int[10][10]);
        String table = EpochTable.render(List.of(new EpochResult(0, 0.61234, 0.779, 60000, 11.52, true, test),
                new EpochResult(1, 0.41, 0.85, 60000, 10.0, true, null)), Metric.ACCURACY);
        assertEquals("""
                epoch  train loss  train acc  test loss  test acc  images/s    time
                    1      0.6123     77.90%     0.4500    83.90%     5,208  11.5 s
                    2      0.4100     85.00%          -         -     6,000  10.0 s
                """, table);
    }

    @Test
    void plainProgressLinesAlignTheBatchNumber() {
        assertEquals("epoch 2/3  batch  40/938  loss 0.6543  acc 76.25%  5,210 images/s",
                PlainProgress.line(1, 39, 938, 0.65432, 0.7625, 5210.4, 3, Metric.ACCURACY));
        assertEquals("epoch 1/3  batch 7/9  loss 2.5000  mae 1.2346  99 images/s",
                PlainProgress.line(0, 6, 9, 2.5, 1.23456, 99, 3, Metric.MAE));
    }
}
