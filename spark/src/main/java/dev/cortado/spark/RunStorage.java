package dev.cortado.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;

/**
 * A directory that every executor can read and write: a plain path on storage that all of them mount (NFS, a
 * Kubernetes volume), or a URI of any file system Hadoop knows ({@code hdfs://}, {@code s3a://}, {@code file://},
 * ...). Training writes into a local {@link #workDir()}: the directory itself for a plain path, a local staging
 * directory for a URI, from which {@link #publish} copies each file (to a temporary name, then renamed) as it is
 * written.
 */
abstract class RunStorage implements AutoCloseable {

    /** The storage {@code location} names: a URI with a scheme goes through Hadoop, anything else is a path. */
    static RunStorage of(String location, HadoopConf hadoop) {
        URI uri = schemeUri(location);
        return uri == null ? new Local(Path.of(location)) : new Hadoop(uri, hadoop);
    }

    /** The URI {@code location} is when it has a scheme of two letters or more (not a Windows drive), else null. */
    static URI schemeUri(String location) {
        int colon = location.indexOf(':');
        if (colon < 2 || !location.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            return null;
        }
        return URI.create(location);
    }

    /** Where training writes its files; for a plain path, the directory itself. */
    abstract Path workDir() throws IOException;

    /** A local file holding {@code name} of this directory, when it exists there. */
    abstract Optional<Path> fetch(String name) throws IOException;

    /** Makes a file written into {@link #workDir()} part of this directory. */
    abstract void publish(Path file) throws IOException;

    /** Whether {@code name} exists in this directory. */
    abstract boolean exists(String name) throws IOException;

    /** Deletes {@code name} from this directory if it is there. */
    abstract void delete(String name) throws IOException;

    /** Creates the directory if needed and checks that a file can be written into it. */
    abstract void checkWritable() throws IOException;

    /** How messages name {@code name} in this directory. */
    abstract String describe(String name);

    /** Deletes the local staging directory, if any. */
    @Override
    public abstract void close();

    /** A directory on a path every executor mounts. */
    static final class Local extends RunStorage {
        private final Path dir;

        Local(Path dir) {
            this.dir = dir;
        }

        @Override
        Path workDir() throws IOException {
            return Files.createDirectories(dir);
        }

        @Override
        Optional<Path> fetch(String name) {
            Path file = dir.resolve(name);
            return Files.exists(file) ? Optional.of(file) : Optional.empty();
        }

        @Override
        void publish(Path file) {
            // already in place
        }

        @Override
        boolean exists(String name) {
            return Files.exists(dir.resolve(name));
        }

        @Override
        void delete(String name) throws IOException {
            Files.deleteIfExists(dir.resolve(name));
        }

        @Override
        void checkWritable() throws IOException {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".cortado-write-test", ".tmp"));
        }

        @Override
        String describe(String name) {
            return dir.resolve(name).toString();
        }

        @Override
        public void close() {
        }
    }

    /** A directory of a Hadoop file system, staged through a local directory. */
    static final class Hadoop extends RunStorage {
        private final URI dir;
        private final HadoopConf hadoop;
        private Path staging;

        Hadoop(URI dir, HadoopConf hadoop) {
            this.dir = dir;
            this.hadoop = hadoop;
        }

        private org.apache.hadoop.fs.Path remote(String name) {
            return new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(dir), name);
        }

        private FileSystem fileSystem() throws IOException {
            return FileSystem.get(dir, hadoop.get());
        }

        @Override
        Path workDir() throws IOException {
            if (staging == null) {
                staging = Files.createTempDirectory("cortado-spark-out-");
            }
            return staging;
        }

        @Override
        Optional<Path> fetch(String name) throws IOException {
            FileSystem fs = fileSystem();
            org.apache.hadoop.fs.Path source = remote(name);
            if (!fs.exists(source)) {
                return Optional.empty();
            }
            Path local = workDir().resolve(name);
            try (InputStream in = fs.open(source)) {
                Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
            }
            return Optional.of(local);
        }

        @Override
        void publish(Path file) throws IOException {
            FileSystem fs = fileSystem();
            String name = file.getFileName().toString();
            org.apache.hadoop.fs.Path temporary = remote("." + name + ".uploading");
            try (OutputStream out = fs.create(temporary, true)) {
                Files.copy(file, out);
            }
            // Replaces the file in one step where the file system can (HDFS, local): never a moment without one.
            FileContext.getFileContext(dir, hadoop.get()).rename(temporary, remote(name), Options.Rename.OVERWRITE);
        }

        @Override
        boolean exists(String name) throws IOException {
            return fileSystem().exists(remote(name));
        }

        @Override
        void delete(String name) throws IOException {
            fileSystem().delete(remote(name), false);
        }

        @Override
        void checkWritable() throws IOException {
            FileSystem fs = fileSystem();
            fs.mkdirs(new org.apache.hadoop.fs.Path(dir));
            org.apache.hadoop.fs.Path probe = remote(".cortado-write-test");
            fs.create(probe, true).close();
            fs.delete(probe, false);
        }

        @Override
        String describe(String name) {
            String location = dir.toString();
            return (location.endsWith("/") ? location : location + "/") + name;
        }

        @Override
        public void close() {
            if (staging != null) {
                try (Stream<Path> files = Files.walk(staging)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete the staging directory " + staging, e);
                }
            }
        }
    }
}
