package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What someone trying Cortado first sees: {@code cortado train} on a machine without the dataset. */
class FirstRunIT {
    @TempDir
    Path tmp;

    @Test
    void theDefaultRunOnTheBundledSampleLearnsAndSaysWhichRecipeItUses() throws Exception {
        Path missing = tmp.resolve("no-dataset-here");
        Path out = tmp.resolve("out");
        CortadoProcess.Result r = CortadoProcess.start(Map.of(DataOption.DATA_VARIABLE, missing.toString()),
                "train", "--out", out.toString()).waitFor();
        assertEquals(0, r.exitCode(), r.errors().toString());
        assertEquals(List.of("cortado: note: " + missing + " not found, using " + DataOption.SAMPLE_DESCRIPTION
                + "; for the full set: apt-get install dataset-fashion-mnist"), r.errors());
        String text = r.out();
        assertTrue(text.contains("\nrecipe: the bundled sample has only 1,000 training images"), text);
        assertTrue(text.contains("batch " + SampleRecipe.BATCH_SIZE + ", " + SampleRecipe.EPOCHS + " epochs"), text);

        List<String> lines = Files.readAllLines(out.resolve(MetricsLog.FILE_NAME));
        JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertEquals("epoch", last.path("type").asText());
        assertEquals(SampleRecipe.EPOCHS, last.path("epoch").asInt());
        assertTrue(last.path("test_accuracy").asDouble() >= 0.70, "the first run must visibly learn: " + last);
    }

    @Test
    void anyRecipeOptionKeepsTheUsersRecipeOnTheSample() throws Exception {
        Path out = tmp.resolve("out");
        CortadoProcess.Result r = CortadoProcess.start(Map.of(DataOption.DATA_VARIABLE, tmp.resolve("none")
                .toString()), "train", "--model", "mlp", "--epochs", "1", "--out", out.toString()).waitFor();
        assertEquals(0, r.exitCode(), r.errors().toString());
        assertTrue(!r.out().contains("recipe:"), r.out());
        assertTrue(r.out().contains("batch 64, 1 epoch of 16 steps"), r.out());
    }
}
