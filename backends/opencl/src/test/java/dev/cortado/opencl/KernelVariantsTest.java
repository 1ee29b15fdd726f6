package dev.cortado.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.kernel.KernelBackend;
import dev.cortado.kernel.KernelVariant;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builds a workload of every op asks for are among {@link KernelBackend#variants}, the list the CUDA build
 * bundles as PTX: checked here on a real device, since the list is written beside the op code, not derived from it.
 */
class KernelVariantsTest {
    @TempDir
    Path cache;

    @Test
    void everyBuildOfAWorkloadIsAListedVariant() {
        try (OpenClBackend backend = OpenClTestDevice.open(cache)) {
            OpenClLifecycleTest.runEveryOp(backend);
            List<KernelVariant> listed = KernelBackend.variants(backend.device().facts());
            List<KernelVariant> built = backend.programs().built();
            assertTrue(built.size() >= 9, "the workload built every kernel file: " + built);
            for (KernelVariant variant : built) {
                assertTrue(listed.contains(variant), variant + " was built but is not in " + listed);
            }
        }
    }
}
