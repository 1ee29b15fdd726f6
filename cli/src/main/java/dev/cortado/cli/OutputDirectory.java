package dev.cortado.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** Makes sure an output directory exists and can be written, before any work is done. */
final class OutputDirectory {
    /** The name of the probe file {@link #prepare} writes starts and ends with these. */
    static final String PROBE_PREFIX = ".cortado-write-test";
    static final String PROBE_SUFFIX = ".tmp";

    private OutputDirectory() {
    }

    /**
     * Creates {@code dir} if needed and writes and deletes a probe file in it.
     *
     * @throws CliException with {@link ExitCode#OUTPUT} naming the directory and the reason
     */
    static Path prepare(Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new CliException(ExitCode.OUTPUT, "cannot write to output directory " + dir + ": " + p
                        + " exists and is not a directory");
            }
        }
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, PROBE_PREFIX, PROBE_SUFFIX);
            Files.deleteIfExists(probe); // a run holding the lock may have deleted it as a leftover
            return dir;
        } catch (FileSystemException e) {
            String reason = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
            throw new CliException(ExitCode.OUTPUT, "cannot write to output directory " + dir + ": " + e.getFile()
                    + ": " + describe(e, reason), e);
        } catch (IOException e) {
            throw new CliException(ExitCode.OUTPUT, "cannot write to output directory " + dir + ": " + e, e);
        }
    }

    private static String describe(FileSystemException e, String reason) {
        if (e instanceof FileAlreadyExistsException) {
            return "exists and is not a directory";
        } else if (e instanceof NotDirectoryException) {
            return "is not a directory";
        } else if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return reason;
    }
}
