package dev.cortado.cli;

import dev.cortado.io.IoErrors;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on an output directory for the life of a run, so that two runs never write into one
 * directory: the file {@value #FILE_NAME} in it, locked with the operating system's file lock, which is released
 * when the process ends, however it ends (a crash or SIGKILL leaves no stale lock). The file holds the holder's
 * PID and host for the message a second run gets; it stays in the directory between runs.
 */
final class RunLock implements AutoCloseable {
    static final String FILE_NAME = ".cortado.lock";
    /** How long a refused run waits for the holder, which may have just locked the file, to write its name. */
    private static final long HOLDER_WAIT_MILLIS = 1000;

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir}, an existing directory.
     *
     * @throws CliException with {@link ExitCode#CHECKPOINT} naming the process that holds the lock, or
     *     {@link ExitCode#OUTPUT} when the lock file cannot be written
     */
    static RunLock acquire(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldByThisProcess) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(channel);
                throw new CliException(ExitCode.CHECKPOINT, dir + " is in use by another run (" + holder + ", "
                        + file + "): wait for it to end or stop it, or choose another --out");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " on " + hostName() + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new RunLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new CliException(ExitCode.OUTPUT, "cannot lock output directory " + dir + ": " + file + ": "
                    + IoErrors.reason(e), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** What the holder wrote into the lock file: "pid 123 on host". */
    private static String holder(FileChannel channel) throws IOException {
        long deadline = System.nanoTime() + HOLDER_WAIT_MILLIS * 1_000_000;
        while (true) {
            ByteBuffer content = ByteBuffer.allocate(256);
            channel.read(content, 0);
            String text = new String(content.array(), 0, content.position(), StandardCharsets.UTF_8).strip();
            if (!text.isEmpty() || System.nanoTime() > deadline) {
                return text.isEmpty() ? "a process that has not said which" : text;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "a process that has not said which";
            }
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "an unknown host";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing releases any lock; there is nothing else to do.
            }
        }
    }

    /** Releases the lock; the file stays. */
    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
