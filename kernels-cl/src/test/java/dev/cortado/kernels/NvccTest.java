package dev.cortado.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding nvcc, its release, and how a failed compilation is reported. */
class NvccTest {
    @TempDir
    Path work;

    @Test
    void nothingOnAnEmptyPathAndNoCudaHome() {
        assertEquals(Optional.empty(), Nvcc.locate(Map.of("PATH", work.toString())));
    }

    @Test
    void theReleaseIsMajorDotMinorAndTheOldestArchitectureAVirtualOne() throws Exception {
        Optional<Nvcc> nvcc = Nvcc.locate();
        Assumptions.assumeTrue(nvcc.isPresent(), Nvcc.notFoundReason());
        assertTrue(nvcc.get().release().matches("\\d+\\.\\d+"), nvcc.get().release());
        assertTrue(nvcc.get().oldestArchitecture().matches("compute_\\d+"), nvcc.get().oldestArchitecture());
    }

    @Test
    void aSourceThatDoesNotCompileFailsWithNvccsMessage() {
        Optional<Nvcc> nvcc = Nvcc.locate();
        Assumptions.assumeTrue(nvcc.isPresent(), Nvcc.notFoundReason());
        IOException e = assertThrows(IOException.class, () -> nvcc.get().ptx("broken.cl",
                "extern \"C\" __global__ void broken(float* x) { x[0] = undeclared_for_test; }", List.of(), work));
        assertTrue(e.getMessage().contains("broken.cl") && e.getMessage().contains("undeclared_for_test"),
                e.getMessage());
    }
}
