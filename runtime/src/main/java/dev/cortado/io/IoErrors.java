package dev.cortado.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** The reason an I/O operation failed, in the few words a one-line error message needs. */
public final class IoErrors {
    private IoErrors() {
    }

    /**
     * "permission denied", "no such file or directory", the operating system's reason ("No space left on
     * device"), or the exception's message when it gives no reason; never just the file's name, which is what
     * {@link FileSystemException#getMessage()} often is.
     */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        } else if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
