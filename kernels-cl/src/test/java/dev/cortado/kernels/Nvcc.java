package dev.cortado.kernels;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NVIDIA's CUDA compiler driver as the build uses it: found on the {@code PATH} or in {@code $CUDA_HOME/bin},
 * compiling one kernel file behind the CUDA prelude to PTX with every warning an error. Used by this module's
 * compile test and by the CUDA backend's build, which bundles the PTX in its jar (hence public, in the test-jar).
 */
public final class Nvcc {
    private static final long TIMEOUT_SECONDS = 120;
    private static final Pattern RELEASE = Pattern.compile("release (\\d+)\\.(\\d+)");

    private final Path executable;

    private Nvcc(Path executable) {
        this.executable = executable;
    }

    /** nvcc from {@code $CUDA_HOME/bin}, else the first on the {@code PATH}; empty when there is none. */
    public static Optional<Nvcc> locate() {
        return locate(System.getenv());
    }

    static Optional<Nvcc> locate(Map<String, String> environment) {
        List<Path> candidates = new ArrayList<>();
        String cudaHome = environment.get("CUDA_HOME");
        if (cudaHome != null && !cudaHome.isBlank()) {
            candidates.add(Path.of(cudaHome, "bin", "nvcc"));
        }
        String path = environment.get("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, "nvcc"));
                }
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().map(Nvcc::new);
    }

    /** Why {@link #locate()} found nothing, for the skip messages. */
    public static String notFoundReason() {
        return "nvcc is not on the PATH nor in $CUDA_HOME/bin";
    }

    public Path executable() {
        return executable;
    }

    /** The CUDA release of this nvcc, e.g. {@code 13.0}, from {@code nvcc --version}. */
    public String release() throws IOException, InterruptedException {
        String output = run(List.of(executable.toString(), "--version"), "nvcc --version");
        Matcher m = RELEASE.matcher(output);
        if (!m.find()) {
            throw new IOException("no 'release X.Y' in the output of " + executable + " --version:\n" + output);
        }
        return m.group(1) + "." + m.group(2);
    }

    /**
     * The oldest virtual architecture this nvcc compiles for (the first of {@code nvcc --list-gpu-arch}), e.g.
     * {@code compute_75} for CUDA 13: PTX for it runs on that architecture and every later one.
     */
    public String oldestArchitecture() throws IOException, InterruptedException {
        String output = run(List.of(executable.toString(), "--list-gpu-arch"), "nvcc --list-gpu-arch");
        return output.lines().map(String::trim).filter(l -> l.startsWith("compute_")).findFirst()
                .orElseThrow(() -> new IOException("no compute_XY in the output of nvcc --list-gpu-arch:\n" + output));
    }

    /**
     * Compiles {@code source} (a complete CUDA translation unit: the prelude followed by a kernel file) to PTX
     * with {@code nvcc -ptx -Werror all-warnings} and the given options (e.g. {@code -arch=compute_75},
     * {@code -DTRANS_A=1}), in {@code work}, and returns the PTX text.
     *
     * @param name the kernel file's name, for the temporary file and messages
     * @throws IOException with nvcc's output when it fails
     */
    public String ptx(String name, String source, List<String> options, Path work)
            throws IOException, InterruptedException {
        Path cu = Files.createTempFile(work, name.replace(".cl", "-"), ".cu");
        Path out = cu.resolveSibling(cu.getFileName().toString().replace(".cu", ".ptx"));
        try {
            Files.writeString(cu, source, StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of(executable.toString(), "-ptx", "-Werror", "all-warnings"));
            command.addAll(options);
            command.addAll(List.of("-o", out.toString(), cu.toString()));
            run(command, name + " " + options);
            String ptx = Files.readString(out, StandardCharsets.UTF_8);
            if (ptx.isEmpty()) {
                throw new IOException("nvcc wrote no PTX for " + name + " " + options);
            }
            return ptx;
        } finally {
            Files.deleteIfExists(cu);
            Files.deleteIfExists(out);
        }
    }

    private static String run(List<String> command, String what) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("nvcc did not finish within " + TIMEOUT_SECONDS + " s on " + what);
        }
        if (process.exitValue() != 0) {
            throw new IOException("nvcc failed (exit " + process.exitValue() + ") on " + what + ":\n" + output);
        }
        return output;
    }
}
