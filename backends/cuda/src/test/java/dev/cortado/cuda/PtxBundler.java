package dev.cortado.cuda;

import dev.cortado.kernel.KernelBackend;
import dev.cortado.kernel.KernelVariant;
import dev.cortado.kernels.Nvcc;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The build step that bundles PTX into the jar (run by the exec plugin before the tests): compiles every kernel
 * variant the backend can ask for ({@link KernelBackend#variants} for the limits all CUDA devices share) with nvcc
 * for its oldest virtual architecture, with every warning an error, and writes the files and the index
 * ({@link PtxBundle}) under the classes folder. Without nvcc it says so and bundles nothing.
 */
public final class PtxBundler {
    private static final String PREFIX = "[cortado-backend-cuda] ";
    private static final Pattern VERSION = Pattern.compile("^\\.version (\\d+\\.\\d+)", Pattern.MULTILINE);

    private PtxBundler() {
    }

    /** Arguments: the classes folder, a scratch folder. */
    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]).resolve(PtxBundle.FOLDER);
        Path work = Files.createDirectories(Path.of(args[1]));
        deleteRecursively(folder);
        Optional<Nvcc> found = Nvcc.locate();
        if (found.isEmpty()) {
            System.out.println(PREFIX + "no PTX bundled: " + Nvcc.notFoundReason() + "; this jar's CUDA backend "
                    + "will need NVRTC (" + CudaLibraries.NVRTC + ") on the machine it runs on");
            return;
        }
        Nvcc nvcc = found.get();
        String release = nvcc.release();
        String arch = nvcc.oldestArchitecture();
        List<KernelVariant> variants = KernelBackend.variants(CudaDevice.nominalFacts());
        List<String> ptx = compileAll(nvcc, arch, variants, work);
        Matcher isa = VERSION.matcher(ptx.get(0));
        if (!isa.find()) {
            throw new IOException("no .version line in the PTX nvcc made of " + variants.get(0));
        }
        Files.createDirectories(folder);
        Properties index = new Properties();
        index.setProperty(PtxBundle.NVCC_RELEASE, release);
        index.setProperty(PtxBundle.PTX_ISA, isa.group(1));
        index.setProperty(PtxBundle.ARCH, arch);
        index.setProperty(PtxBundle.COUNT, Integer.toString(variants.size()));
        for (int i = 0; i < variants.size(); i++) {
            KernelVariant v = variants.get(i);
            String name = v.file().replace(".cl", "") + "-" + i + ".ptx";
            Files.writeString(folder.resolve(name), ptx.get(i), StandardCharsets.US_ASCII);
            index.setProperty(PtxBundle.variantKey(i, "file"), v.file());
            index.setProperty(PtxBundle.variantKey(i, "options"), v.options());
            index.setProperty(PtxBundle.variantKey(i, "ptx"), name);
        }
        try (OutputStream out = Files.newOutputStream(folder.resolve("bundle.properties"))) {
            index.store(out, "PTX of the kernels-cl kernels, made by PtxBundler with " + nvcc.executable());
        }
        System.out.println(PREFIX + "bundled the PTX of " + variants.size() + " kernel variants (nvcc " + release
                + ", " + arch + ", PTX ISA " + isa.group(1) + ", needs a driver for CUDA " + release
                + " or newer) in " + folder);
    }

    /** Each variant's PTX, in order; two nvcc processes at a time. */
    private static List<String> compileAll(Nvcc nvcc, String arch, List<KernelVariant> variants, Path work)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> jobs = new ArrayList<>();
            for (KernelVariant v : variants) {
                List<String> options = new ArrayList<>(List.of("-arch=" + arch));
                options.addAll(Arrays.stream(v.options().split(" ")).filter(o -> !o.isEmpty()).toList());
                jobs.add(pool.submit(() -> nvcc.ptx(v.file(), CudaSources.of(v.file()), options, work)));
            }
            List<String> ptx = new ArrayList<>();
            for (Future<String> job : jobs) {
                ptx.add(job.get());
            }
            return ptx;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
