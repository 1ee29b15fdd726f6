package dev.cortado.it.docker;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cortado.it.CortadoJar;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The project's job image, built once per test run from the root {@code Dockerfile} on the CI base image (system
 * property {@code it.base.image}). Tests that need it are skipped, with the reason, where no Docker engine answers
 * or the base image is missing; CI checks that they were not skipped.
 */
final class JobImage {
    static final String TAG = "cortado-it:latest";
    static final String WITHOUT_OPENCL_TAG = "cortado-it-without-opencl:latest";

    private static String built;
    private static String withoutOpenCl;

    private JobImage() {
    }

    /** The image's name, building it on first use. */
    static synchronized String name() {
        if (built == null) {
            assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                    "no Docker engine answers (start one with .ci/docker-up.sh)");
            String base = System.getProperty("it.base.image", "cortado-ci-base:bookworm");
            assumeTrue(baseImagePresent(base), "base image " + base + " not found (build it with"
                    + " .ci/build-base-image.sh " + base + ")");
            Path dockerfile = Path.of(System.getProperty("cortado.dockerfile", "../Dockerfile"));
            Path entrypoint = dockerfile.resolveSibling("scripts/docker-entrypoint.sh");
            Path jar = CortadoJar.path();
            if (!Files.isRegularFile(dockerfile)) {
                throw new IllegalStateException("no Dockerfile at " + dockerfile.toAbsolutePath());
            }
            long start = System.nanoTime();
            // Explicit context, the same three files .dockerignore admits: nothing else of the tree is sent.
            ImageFromDockerfile image = new ImageFromDockerfile(TAG, false)
                    .withFileFromPath("Dockerfile", dockerfile)
                    .withFileFromPath("cli/target/cortado.jar", jar)
                    .withFileFromPath("scripts/docker-entrypoint.sh", entrypoint)
                    .withBuildArg("BASE_IMAGE", base);
            built = image.get();
            System.out.printf("built %s on %s in %.1f s%n", built, base, (System.nanoTime() - start) / 1e9);
        }
        return built;
    }

    /**
     * The job image with the OpenCL ICD loader deleted, as on a host that never installed one, built on first use.
     */
    static synchronized String withoutOpenCl() {
        if (withoutOpenCl == null) {
            String job = name();
            withoutOpenCl = new ImageFromDockerfile(WITHOUT_OPENCL_TAG, false)
                    .withDockerfileFromBuilder(b -> b.from(job)
                            .user("root")
                            .run("rm -f /usr/lib/*-linux-gnu/libOpenCL.so* && ldconfig")
                            .user("cortado")
                            .build())
                    .get();
        }
        return withoutOpenCl;
    }

    private static boolean baseImagePresent(String base) {
        try {
            DockerClientFactory.lazyClient().inspectImageCmd(base).exec();
            return true;
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return false;
        }
    }
}
