package dev.cortado.cpu.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.GemmSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The public entry point: kernel choice with and without the Vector API module, and argument checks. */
class SgemmTest {

    @Test
    void usesTheVectorKernelWhereTheModuleIsPresent() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "the tests run with --add-modules jdk.incubator.vector (see the parent pom)");
        assertTrue(Sgemm.describe().startsWith("Vector API"), Sgemm.describe());
    }

    @Test
    void computesThroughTheFacade() {
        GemmCase gemm = new GemmCase(GemmSpec.of(true, false, 37, 41, 43).scaled(2f, 0.5f), 5, 6, 7, 9);
        Sgemm.compute(gemm.spec, gemm.a, gemm.aOffset, gemm.b, gemm.bOffset, gemm.c, gemm.cOffset);
        gemm.check("Sgemm");
    }

    @Test
    void fallsBackToTheScalarKernelWithoutTheModule() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                WithoutVectorModule.class.getName())
                .redirectErrorStream(true)
                .start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish within 60 s");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("scalar 4x4"), output);
        assertTrue(output.contains(WithoutVectorModule.CORRECT), output);
    }

    @Test
    void rejectsArraysTooShortForTheBatch() {
        GemmSpec spec = GemmSpec.of(false, false, 3, 4, 5).batched(2, 15, 20, 12);
        float[] a = new float[30];
        float[] b = new float[40];
        float[] c = new float[24];
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Sgemm.compute(spec, a, 1, b, 0, c, 0));
        assertTrue(error.getMessage().contains("GEMM A spans floats [1, 31)"), error.getMessage());
        error = assertThrows(IllegalArgumentException.class, () -> Sgemm.compute(spec, a, 0, b, 0, new float[23], 0));
        assertTrue(error.getMessage().contains("C spans"), error.getMessage());
    }

    @Test
    void rejectsNegativeStrides() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> GemmSpec.of(false, false, 2, 2, 2).batched(2, -4, 0, 4));
        assertTrue(error.getMessage().contains("negative GEMM batch stride"), error.getMessage());
    }
}
