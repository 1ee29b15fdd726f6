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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The kernel files, the index that lists them for the backends, and the README that describes each. */
class KernelFilesTest {
    private static final String PACKAGE = "dev/cortado/kernels/";

    static Path kernelDirectory() throws URISyntaxException {
        URL prelude = KernelFilesTest.class.getClassLoader().getResource(PACKAGE + "cuda_prelude.h");
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
}
