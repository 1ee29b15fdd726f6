package dev.cortado.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compiles every kernel file behind {@code cuda_prelude.h} with {@code nvcc -ptx}, so a kernel that leaves the
 * dialect fails here and not first on a CUDA machine. Skipped, with the reason printed, where nvcc is absent.
 */
class CudaPreludeCompileTest {
    private static final String PACKAGE = "dev/cortado/kernels/";
    private static Optional<Nvcc> nvcc;

    @TempDir
    Path work;

    @BeforeAll
    static void findNvcc() {
        nvcc = Nvcc.locate();
        if (nvcc.isEmpty()) {
            System.out.println("CudaPreludeCompileTest: skipped: " + Nvcc.notFoundReason());
        }
    }

    static Path kernelDirectory() throws URISyntaxException {
        URL prelude = CudaPreludeCompileTest.class.getClassLoader().getResource(PACKAGE + "cuda_prelude.h");
        if (prelude == null) {
            throw new IllegalStateException(PACKAGE + "cuda_prelude.h is not on the test class path");
        }
        return Path.of(prelude.toURI()).getParent();
    }

    static List<String> kernelFiles() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(kernelDirectory())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cl")).sorted().toList();
        }
    }

    static Stream<Arguments> compilations() throws IOException, URISyntaxException {
        List<Arguments> all = new ArrayList<>();
        for (String file : kernelFiles()) {
            all.add(Arguments.of(file, List.of()));
        }
        for (int transA = 0; transA < 2; transA++) {
            for (int transB = 0; transB < 2; transB++) {
                all.add(Arguments.of("gemm.cl", List.of("-DTRANS_A=" + transA, "-DTRANS_B=" + transB)));
            }
        }
        all.add(Arguments.of("gemm.cl", List.of("-DTILE_M=128", "-DTILE_N=128", "-DTILE_K=16", "-DWORK_M=8",
                "-DWORK_N=8")));
        all.add(Arguments.of("gemm.cl", List.of("-DTILE_M=64", "-DTILE_N=64", "-DTILE_K=16", "-DWORK_M=8",
                "-DWORK_N=16", "-DWORK_N_CONTIGUOUS=1")));
        return all.stream();
    }

    @Test
    void everyKernelFileIsListedInTheReadme() throws IOException, URISyntaxException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        List<String> files = kernelFiles();
        assertFalse(files.isEmpty(), "no kernel files found in " + kernelDirectory());
        for (String file : files) {
            assertTrue(readme.contains("`" + file + "`"), file + " is not described in kernels-cl/README.md");
        }
    }

    @Test
    void theIndexListsExactlyTheKernelFiles() throws IOException, URISyntaxException {
        List<String> index = Files.readAllLines(kernelDirectory().resolve("index.txt"), StandardCharsets.UTF_8)
                .stream().map(String::trim).filter(line -> !line.isEmpty()).sorted().toList();
        assertEquals(kernelFiles(), index, "dev/cortado/kernels/index.txt is out of date");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("compilations")
    void compilesAsCudaBehindThePrelude(String file, List<String> defines) throws Exception {
        Assumptions.assumeTrue(nvcc.isPresent(), Nvcc.notFoundReason());
        Path dir = kernelDirectory();
        String source = Files.readString(dir.resolve("cuda_prelude.h"), StandardCharsets.UTF_8) + "\n"
                + Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
        String ptx = nvcc.get().ptx(file, source, defines, work);
        assertTrue(ptx.contains(".entry"), "nvcc wrote PTX without kernels for " + file + " " + defines);
    }
}
