package dev.cortado.cli;

import dev.cortado.io.Safetensors;
import dev.cortado.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files a training run writes into its output directory: checkpoints ({@value TrainingRun#LAST_CHECKPOINT},
 * {@code epoch-NNN.safetensors}), {@value MetricsLog#FILE_NAME} and {@value CurvePlot#FILE_NAME}; and the
 * temporary files of their atomic writes ({@code .NAME.tmp}, {@code .NAME.PID.tmp} for checkpoints), which a
 * crash leaves behind. Other files in the directory are the user's and are never touched.
 */
final class RunFiles {
    /** A temporary file: {@code .NAME.tmp}, or {@code .NAME.PID.tmp} as {@link Safetensors#write} names them. */
    private static final Pattern TEMPORARY = Pattern.compile("\\.(.+?)(\\.\\d+)?\\.tmp");

    private RunFiles() {
    }

    /** The temporary file that a write of {@code file} goes to before it is renamed over it. */
    static Path temporary(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".tmp");
    }

    /** Whether {@code name} is a file that a run writes (a temporary one excepted). */
    static boolean isRunFile(String name) {
        return TrainingRun.isCheckpointName(name) || name.equals(MetricsLog.FILE_NAME)
                || name.equals(CurvePlot.FILE_NAME);
    }

    /** The run's files in {@code dir}, by name in order: a non-empty list means the directory holds a run. */
    static List<String> existing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(RunFiles::isRunFile).sorted().toList();
        }
    }

    /** Deletes the run's files, for a new run in their place (--overwrite). */
    static void delete(Path dir) throws IOException {
        for (String name : existing(dir)) {
            Files.deleteIfExists(dir.resolve(name));
        }
    }

    /**
     * Deletes the temporary files that writes cut short by a crash left; call it only while holding the
     * directory's {@link RunLock}, when no other run writes there.
     */
    static void deleteLeftovers(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(RunFiles::isLeftover).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static boolean isLeftover(Path file) {
        String name = file.getFileName().toString();
        Matcher temporary = TEMPORARY.matcher(name);
        return temporary.matches() && isRunFile(temporary.group(1))
                || name.startsWith(OutputDirectory.PROBE_PREFIX) && name.endsWith(OutputDirectory.PROBE_SUFFIX);
    }
}
