package dev.cortado.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.kernel.KernelBackend;
import dev.cortado.kernel.KernelBuildException;
import dev.cortado.kernel.KernelSources;
import dev.cortado.kernel.KernelVariant;
import dev.cortado.kernels.Nvcc;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PTX the build bundled (on the class path as the jar will carry it): one file per variant the backend can
 * ask for, each with every kernel of its file, for the ISA and architecture the index states. Skipped, with the
 * reason, when the build found no nvcc.
 */
class BundledPtxTest {
    private static final Pattern KERNEL = Pattern.compile("__kernel void (\\w+)");
    private static Optional<PtxBundle> bundle;

    @BeforeAll
    static void load() {
        bundle = PtxBundle.load();
        if (bundle.isEmpty()) {
            System.out.println("BundledPtxTest: skipped: no PTX bundled (" + Nvcc.notFoundReason() + " at build time)");
        }
    }

    private static PtxBundle bundle() {
        Assumptions.assumeTrue(bundle.isPresent(), "no PTX bundled: " + Nvcc.notFoundReason() + " at build time");
        return bundle.get();
    }

    @Test
    void theBuildBundlesPtxWhereverNvccIs() {
        assertEquals(Nvcc.locate().isPresent(), bundle.isPresent(), "nvcc on this machine, yet no bundle (or the "
                + "other way round)");
    }

    @Test
    void everyVariantTheBackendCanAskForIsThereAndNothingElse() {
        List<KernelVariant> wanted = KernelBackend.variants(CudaDevice.nominalFacts());
        assertEquals(new HashSet<>(wanted), bundle().variants().keySet());
        for (int cc : new int[] {75, 80, 86, 89, 90, 100, 120}) {
            CudaDevice device = new CudaDevice(0, "gpu", cc, 8L << 30, 40, 1024, new long[] {1024, 1024, 64},
                    new long[] {Integer.MAX_VALUE, 65535, 65535}, 49152, 13000);
            assertEquals(wanted, KernelBackend.variants(device.facts()), "compute capability " + cc);
        }
    }

    @Test
    void eachFileHoldsEveryKernelOfItsSourceForTheStatedIsaAndArchitecture() {
        PtxBundle b = bundle();
        for (KernelVariant variant : b.variants().keySet()) {
            byte[] image = b.ptx(variant);
            assertEquals(0, image[image.length - 1], "NUL-terminated for cuModuleLoadData");
            String ptx = new String(image, 0, image.length - 1, StandardCharsets.US_ASCII);
            assertTrue(ptx.contains("\n.version " + b.ptxIsa() + "\n"), variant + ": not PTX ISA " + b.ptxIsa());
            assertTrue(ptx.contains("\n.target " + b.arch().replace("compute_", "sm_")), variant + ": not " + b.arch());
            Matcher kernels = KERNEL.matcher(KernelSources.get(variant.file()));
            while (kernels.find()) {
                assertTrue(ptx.contains(".entry " + kernels.group(1) + "("), variant + " lacks " + kernels.group(1));
            }
        }
    }

    @Test
    void theIndexStatesWhichDriversCanLoadIt() {
        PtxBundle b = bundle();
        assertEquals(CudaDevice.cudaVersionNumber(b.nvccRelease()), b.minimumDriverVersion());
        assertTrue(b.minimumComputeCapability() >= 50, b.arch());
    }

    @Test
    void aVariantNotBundledIsABuildErrorThatNamesIt() {
        PtxBundle empty = new PtxBundle("13.0", "9.0", "compute_75", Map.of());
        assertEquals(13000, empty.minimumDriverVersion());
        assertEquals(75, empty.minimumComputeCapability());
        KernelBuildException e = assertThrows(KernelBuildException.class,
                () -> empty.ptx(new KernelVariant("reduce.cl", "-DREDUCE_GROUP=64")));
        assertTrue(e.getMessage().contains("reduce.cl with options [-DREDUCE_GROUP=64]"), e.getMessage());
    }
}
