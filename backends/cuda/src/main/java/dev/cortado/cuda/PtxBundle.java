package dev.cortado.cuda;

import dev.cortado.kernel.KernelBuildException;
import dev.cortado.kernel.KernelSources;
import dev.cortado.kernel.KernelVariant;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The PTX the build made with nvcc and packed into the jar: one file per kernel variant the backend can ask for,
 * listed in {@value #INDEX} with the nvcc release, the PTX ISA version and the target architecture. A driver loads
 * PTX only if it knows that ISA version: PTX from nvcc X.Y needs a driver for CUDA X.Y or newer.
 *
 * @param nvccRelease e.g. {@code 13.0}
 * @param ptxIsa the {@code .version} of the PTX, e.g. {@code 9.0}
 * @param arch the virtual architecture it was compiled for, e.g. {@code compute_75}
 * @param variants each variant's resource file name in {@value #FOLDER}
 */
record PtxBundle(String nvccRelease, String ptxIsa, String arch, Map<KernelVariant, String> variants) {
    /** The class-path folder of the bundle. */
    static final String FOLDER = "dev/cortado/cuda/ptx/";
    /** The index's resource path. */
    static final String INDEX = FOLDER + "bundle.properties";
    static final String NVCC_RELEASE = "nvcc.release";
    static final String PTX_ISA = "ptx.isa";
    static final String ARCH = "arch";
    static final String COUNT = "variants";

    PtxBundle {
        variants = Map.copyOf(variants);
    }

    /** The key of field {@code field} (file, options or ptx) of variant {@code i} in the index. */
    static String variantKey(int i, String field) {
        return "variant." + i + "." + field;
    }

    /** The bundle on the class path, or empty when the build found no nvcc. */
    static Optional<PtxBundle> load() {
        try (InputStream in = PtxBundle.class.getClassLoader().getResourceAsStream(INDEX)) {
            if (in == null) {
                return Optional.empty();
            }
            Properties index = new Properties();
            index.load(in);
            Map<KernelVariant, String> variants = new LinkedHashMap<>();
            int count = Integer.parseInt(index.getProperty(COUNT));
            for (int i = 0; i < count; i++) {
                variants.put(new KernelVariant(index.getProperty(variantKey(i, "file")),
                        index.getProperty(variantKey(i, "options"))), index.getProperty(variantKey(i, "ptx")));
            }
            return Optional.of(new PtxBundle(index.getProperty(NVCC_RELEASE), index.getProperty(PTX_ISA),
                    index.getProperty(ARCH), variants));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + INDEX, e);
        }
    }

    /** The oldest driver that loads this PTX, as {@code cuDriverGetVersion} counts (13000 for CUDA 13.0). */
    int minimumDriverVersion() {
        return CudaDevice.cudaVersionNumber(nvccRelease);
    }

    /** The oldest compute capability that runs this PTX, e.g. 75 for {@code compute_75}. */
    int minimumComputeCapability() {
        return Integer.parseInt(arch.substring(arch.indexOf('_') + 1));
    }

    /** e.g. "nvcc 13.0, compute_75, PTX ISA 9.0". */
    String describe() {
        return "nvcc " + nvccRelease + ", " + arch + ", PTX ISA " + ptxIsa;
    }

    /**
     * The PTX of a variant, NUL-terminated as {@code cuModuleLoadData} wants it.
     *
     * @throws KernelBuildException when the bundle has no such variant
     */
    byte[] ptx(KernelVariant variant) {
        String resource = variants.get(variant);
        if (resource == null) {
            throw new KernelBuildException("the bundled PTX has no build of " + KernelSources.PACKAGE
                    + variant.file() + " with options [" + variant.options() + "] (it holds " + variants.size()
                    + " variants, for the limits every CUDA device shares); NVRTC (" + CudaLibraries.NVRTC
                    + ") would compile it", null);
        }
        try (InputStream in = PtxBundle.class.getClassLoader().getResourceAsStream(FOLDER + resource)) {
            if (in == null) {
                throw new IllegalStateException(FOLDER + resource + " is listed in " + INDEX + " but missing");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return (text + '\0').getBytes(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FOLDER + resource, e);
        }
    }
}
