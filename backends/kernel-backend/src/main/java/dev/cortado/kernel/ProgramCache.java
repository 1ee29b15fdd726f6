package dev.cortado.kernel;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compiled kernels on disk (OpenCL program binaries, CUDA modules), one file per key. The key is a SHA-256 of
 * everything the result depends on (the kernel source, the build options, the device and the driver version), so a
 * new driver or an edited kernel never gets a stale binary. Entries are written to a temporary file in the same directory and renamed into place atomically, so
 * two processes starting at once never see half a file; each entry carries a checksum, and an entry that fails it
 * is deleted and reported as a miss (the caller rebuilds it). A directory that cannot be written disables the
 * cache with one warning; it is never fatal.
 */
public final class ProgramCache {
    /** Named when only OpenCL used the cache; kept so that existing entries stay valid. */
    private static final byte[] MAGIC = "CORTADO-CL-BINARY-1".getBytes(StandardCharsets.US_ASCII);

    private final Path directory;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong corrupt = new AtomicLong();
    private volatile boolean warned;

    /** A cache in {@code directory}, created on the first store. */
    public ProgramCache(Path directory) {
        this.directory = directory;
    }

    /** {@code $XDG_CACHE_HOME/cortado/<api>}, else {@code ~/.cache/cortado/<api>}. */
    public static Path defaultDirectory(String api, Map<String, String> environment, String userHome) {
        String xdg = environment.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(userHome, ".cache");
        return base.resolve("cortado").resolve(api);
    }

    /** The default directory of this process for {@code api} (e.g. {@code opencl}, {@code cuda}). */
    public static Path defaultDirectory(String api) {
        return defaultDirectory(api, System.getenv(), System.getProperty("user.home"));
    }

    /** The cache key of a build: hex SHA-256 over its inputs, each length-prefixed so no two inputs collide. */
    public static String key(String... inputs) {
        MessageDigest sha = sha256();
        for (String part : inputs) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) ':');
            sha.update(bytes);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The binary stored under {@code key}; empty when absent or corrupt (a corrupt entry is deleted). */
    public Optional<byte[]> load(String key) {
        Path file = entry(key);
        byte[] payload;
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
            byte[] magic = in.readNBytes(MAGIC.length);
            int length = in.readInt();
            byte[] checksum = in.readNBytes(32);
            payload = length >= 0 ? in.readNBytes(length) : new byte[0];
            boolean valid = Arrays.equals(magic, MAGIC) && length >= 0 && payload.length == length
                    && in.read() == -1 && Arrays.equals(checksum, sha256().digest(payload));
            if (!valid) {
                return discardCorrupt(file);
            }
        } catch (NoSuchFileException e) {
            misses.incrementAndGet();
            return Optional.empty();
        } catch (IOException e) {
            return discardCorrupt(file);
        }
        hits.incrementAndGet();
        return Optional.of(payload);
    }

    private Optional<byte[]> discardCorrupt(Path file) {
        corrupt.incrementAndGet();
        misses.incrementAndGet();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            warnOnce("cannot delete the corrupt cache entry " + file + ": " + e);
        }
        return Optional.empty();
    }

    /** Stores a binary under {@code key}: temporary file, then atomic rename. Failures only warn. */
    public void store(String key, byte[] binary) {
        Path tmp = null;
        try {
            Files.createDirectories(directory);
            tmp = Files.createTempFile(directory, key, ".tmp");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(binary.length + 64);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.write(MAGIC);
                out.writeInt(binary.length);
                out.write(sha256().digest(binary));
                out.write(binary);
            }
            Files.write(tmp, bytes.toByteArray());
            moveIntoPlace(tmp, entry(key));
            tmp = null;
        } catch (IOException | RuntimeException e) {
            warnOnce("cannot write the kernel cache in " + directory + " (" + e
                    + "); kernels will be rebuilt next time");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The warning above already told the user; a stray temp file is harmless.
                }
            }
        }
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The file of an entry. */
    public Path entry(String key) {
        return directory.resolve(key + ".bin");
    }

    /** Loads that found a valid entry. */
    public long hits() {
        return hits.get();
    }

    /** Loads that found no entry or a corrupt one. */
    public long misses() {
        return misses.get();
    }

    /** Entries found corrupt (and deleted). */
    public long corruptEntries() {
        return corrupt.get();
    }

    private void warnOnce(String message) {
        if (!warned) {
            warned = true;
            System.err.println("cortado: " + message);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256, which every Java SE runtime must have", e);
        }
    }
}
