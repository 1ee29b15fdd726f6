package dev.cortado.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.kernel.KernelBackend;
import dev.cortado.kernels.Nvcc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The packaged jar carries the bundled PTX when the build had nvcc, and none when it had not. */
class PtxInJarIT {

    @Test
    void theJarCarriesThePtxOfEveryVariant() throws Exception {
        Path jar = Path.of(System.getProperty("cortado.cuda.jar"));
        assertTrue(Files.isRegularFile(jar), "not built: " + jar);
        try (JarFile file = new JarFile(jar.toFile())) {
            if (Nvcc.locate().isEmpty()) {
                assertNull(file.getEntry(PtxBundle.INDEX), "no nvcc here, yet the jar has a PTX bundle");
                System.out.println("PtxInJarIT: no nvcc, and the jar has no PTX, as it should");
                return;
            }
            Properties index = new Properties();
            index.load(file.getInputStream(file.getEntry(PtxBundle.INDEX)));
            int count = Integer.parseInt(index.getProperty(PtxBundle.COUNT));
            assertEquals(KernelBackend.variants(CudaDevice.nominalFacts()).size(), count);
            for (int i = 0; i < count; i++) {
                String name = PtxBundle.FOLDER + index.getProperty(PtxBundle.variantKey(i, "ptx"));
                assertNotNull(file.getEntry(name), name + " is missing from " + jar);
                assertTrue(file.getEntry(name).getSize() > 100, name + " is empty");
            }
        }
    }
}
