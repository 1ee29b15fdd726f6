package dev.cortado.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.kernels.Nvcc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compiles every kernel file, as {@link KernelSources} gives it (op codes first), behind {@code cuda_prelude.h}
 * with {@code nvcc -ptx}, so a kernel that leaves the dialect fails here and not first on a CUDA machine. Skipped,
 * with the reason printed, where nvcc is absent.
 */
class CudaPreludeCompileTest {
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

    static Stream<Arguments> compilations() {
        List<Arguments> all = new ArrayList<>();
        for (String file : KernelSources.files()) {
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

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("compilations")
    void compilesAsCudaBehindThePrelude(String file, List<String> defines) throws Exception {
        Assumptions.assumeTrue(nvcc.isPresent(), Nvcc.notFoundReason());
        String source = KernelSources.get("cuda_prelude.h") + "\n" + KernelSources.get(file);
        String ptx = nvcc.get().ptx(file, source, defines, work);
        assertTrue(ptx.contains(".entry"), "nvcc wrote PTX without kernels for " + file + " " + defines);
    }
}
