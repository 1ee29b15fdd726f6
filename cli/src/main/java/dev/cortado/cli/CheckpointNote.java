package dev.cortado.cli;

import dev.cortado.train.Checkpoint;
import java.io.PrintWriter;
import java.nio.file.Path;

/** The note for a checkpoint that carries no checksums, so that damage to it cannot be detected. */
final class CheckpointNote {
    private CheckpointNote() {
    }

    /** Prints one line on {@code err} when {@code checkpoint}, read from {@code file}, had no checksums. */
    static void ifUnchecked(PrintWriter err, Path file, Checkpoint checkpoint) {
        if (!checkpoint.checksummed()) {
            err.println("cortado: note: " + file + " has no checksums (format version 1, written by an older "
                    + "Cortado), so damage to it cannot be detected; checkpoints written from now on have them");
            err.flush();
        }
    }
}
