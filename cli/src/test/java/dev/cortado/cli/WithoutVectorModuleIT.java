package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.cpu.VectorModule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar cortado.jar} without {@code --add-modules jdk.incubator.vector}: it says what that costs. */
class WithoutVectorModuleIT {
    @TempDir
    Path tmp;

    @Test
    void devicesShowsTheVectorApiOffAndTrainingWarnsOnceInOneLine() throws Exception {
        CortadoProcess.Result devices = CortadoProcess.start(List.of("-Xmx1g"), Map.of(), "devices").waitFor();
        assertEquals(0, devices.exitCode(), devices.errors().toString());
        assertTrue(devices.out().contains("  vector api: off: " + VectorModule.MISSING), devices.out());

        CortadoProcess.Result train = CortadoProcess.start(List.of("-Xmx1g"), Map.of(), "train", "--model", "mlp",
                "--data", CortadoProcess.sampleData(tmp.resolve("sample")).toString(), "--out",
                tmp.resolve("out").toString(), "--epochs", "1", "--limit-train", "128", "--limit-test", "32")
                .waitFor();
        assertEquals(0, train.exitCode(), train.errors().toString());
        // "cortado: WARNING: ...", the level in the JVM's language.
        assertEquals(1, train.errors().size(), train.errors().toString());
        assertTrue(train.errors().get(0).matches("cortado: \\S+: " + Pattern.quote(VectorModule.MISSING)),
                train.errors().get(0));
    }
}
