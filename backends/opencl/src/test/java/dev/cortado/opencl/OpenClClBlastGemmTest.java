package dev.cortado.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.kernel.GemmChoice;
import org.junit.jupiter.api.Test;

/** Every GEMM case of {@link OpenClGemmTest}, run on CLBlast instead of the tiled kernel. */
class OpenClClBlastGemmTest extends OpenClGemmTest {

    @Override
    protected GemmChoice gemmChoice() {
        return GemmChoice.LIBRARY;
    }

    @Test
    void theBackendReportsCLBlast() {
        assertEquals("CLBlast", backend.info().details().get("gemm"));
    }
}
