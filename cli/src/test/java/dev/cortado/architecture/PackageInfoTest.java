package dev.cortado.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every package of every module's main sources has a {@code package-info.java} that says what the package is for,
 * so the Javadoc of every package has a summary. A new package fails here until it gets one.
 */
class PackageInfoTest {

    @Test
    void everyMainPackageHasAPackageInfo() throws IOException {
        Path root = Repository.root();
        Set<String> packages = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        for (Path sources : mainSourceRoots(root)) {
            try (Stream<Path> dirs = Files.walk(sources)) {
                for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                    if (hasJavaFiles(dir)) {
                        String name = root.relativize(dir).toString();
                        packages.add(name);
                        Path info = dir.resolve("package-info.java");
                        if (!Files.isRegularFile(info) || !Repository.read(info).contains("/**")) {
                            missing.add(name);
                        }
                    }
                }
            }
        }
        assertTrue(packages.size() > 15, "only these packages found: " + packages);
        assertEquals(Set.of(), missing, "packages without a package-info.java with a Javadoc comment");
    }

    /** {@code src/main/java} of every module, however deep; build output and hidden folders are not searched. */
    private static List<Path> mainSourceRoots(Path root) throws IOException {
        List<Path> roots = new ArrayList<>();
        Path mainJava = Path.of("src", "main", "java");
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                if (!dir.equals(root) && (name.startsWith(".") || name.equals("target"))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (dir.endsWith(mainJava)) {
                    roots.add(dir);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return roots;
    }

    private static boolean hasJavaFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.toString().endsWith(".java") && Files.isRegularFile(f)
                    && !f.getFileName().toString().equals("package-info.java"));
        }
    }
}
