package dev.cortado.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads and writes the safetensors format (the one PyTorch's {@code safetensors} package, Hugging Face and
 * others read): an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and byte
 * range, then the raw little-endian data. Cortado writes F32 tensors and string metadata only.
 *
 * <p>Writes are atomic: the file is written and flushed under a temporary name in the same directory, then
 * renamed over the target, so a crash never leaves a half-written file; it can leave the temporary file,
 * {@code .NAME.PID.tmp} beside the target.
 *
 * <p>Every file Cortado writes verifies itself: the metadata entry {@value #CHECKSUMS} holds, as JSON, the
 * CRC32C of each tensor's bytes and one of the header (every tensor's dtype, shape and offsets and every other
 * metadata entry, as Jackson writes the header without this entry). {@link #read} checks them when they are
 * there, so a bit flipped anywhere in the file is an error; the entry is a plain string, so other readers load
 * the file as before.
 */
public final class Safetensors {
    /** The metadata key of the checksums. */
    public static final String CHECKSUMS = "checksums";

    private static final String METADATA = "__metadata__";
    private static final String ALGORITHM = "crc32c";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final long MAX_HEADER = 100L * 1024 * 1024;
    /** Floats converted to bytes at a time when writing. */
    private static final int CHUNK_FLOATS = 1 << 16;

    private Safetensors() {
    }

    /**
     * The contents of a file: tensors in file order and the string metadata (without {@value #CHECKSUMS}).
     *
     * @param checksummed whether the file carried checksums (all of which matched); false for files without them:
     *     other writers' and Cortado's before checkpoint format version 2
     */
    public record Contents(Map<String, HostTensor> tensors, Map<String, String> metadata, boolean checksummed) {
    }

    /**
     * Writes tensors (in map order) and metadata, with their checksums, to {@code file} atomically.
     *
     * @throws FileSystemException naming {@code file} and the reason ("No space left on device")
     */
    public static void write(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata)
            throws IOException {
        if (metadata.containsKey(CHECKSUMS)) {
            throw new IllegalArgumentException("metadata key '" + CHECKSUMS + "' is reserved for the checksums");
        }
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject(METADATA);
        metadata.forEach(meta::put);
        ObjectNode sums = JSON.createObjectNode();
        sums.put("algorithm", ALGORITHM);
        ObjectNode tensorSums = JSON.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
            HostTensor t = e.getValue();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", "F32");
            var shape = entry.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            long bytes = 4L * t.data().length;
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
            CRC32C crc = new CRC32C();
            forEachChunk(t.data(), crc::update);
            tensorSums.put(e.getKey(), hex(crc));
        }
        sums.put("header", hex(crc(JSON.writeValueAsBytes(header))));
        sums.set("tensors", tensorSums);
        meta.put(CHECKSUMS, JSON.writeValueAsString(sums));
        try {
            writeAtomically(file, paddedHeader(header), tensors);
        } catch (IOException e) {
            FileSystemException failure = new FileSystemException(file.toString(), null, IoErrors.reason(e));
            failure.initCause(e);
            throw failure;
        }
    }

    private static void writeAtomically(Path file, byte[] headerBytes, Map<String, HostTensor> tensors)
            throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Named by process rather than made by createTempFile, so the file gets the usual permissions (umask), not
        // owner-only ones: checkpoints are often read by another user, as from a container's volume.
        Path temp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer start = ByteBuffer.allocate(8 + headerBytes.length).order(ByteOrder.LITTLE_ENDIAN);
                start.putLong(headerBytes.length).put(headerBytes).flip();
                writeFully(ch, start);
                for (HostTensor t : tensors.values()) {
                    forEachChunk(t.data(), chunk -> writeFully(ch, chunk));
                }
                ch.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Receives a file's bytes a chunk at a time. */
    private interface ChunkSink {
        void accept(ByteBuffer chunk) throws IOException;
    }

    /** Passes the little-endian bytes of {@code data} in chunks; each buffer is valid only during the call. */
    private static void forEachChunk(float[] data, ChunkSink sink) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(4 * Math.min(CHUNK_FLOATS, data.length))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < data.length; from += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, data.length - from);
            chunk.clear();
            chunk.asFloatBuffer().put(data, from, n);
            chunk.limit(4 * n);
            sink.accept(chunk);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            ch.write(buffer);
        }
    }

    private static CRC32C crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc;
    }

    private static String hex(CRC32C crc) {
        return String.format("%08x", crc.getValue());
    }

    /** The header JSON, padded with spaces to a multiple of 8 bytes as the format recommends. */
    private static byte[] paddedHeader(ObjectNode header) throws JsonProcessingException {
        String json = JSON.writeValueAsString(header);
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        return (json + " ".repeat((8 - bytes % 8) % 8)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a file written by Cortado or any safetensors writer (F32 tensors only), checking the checksums of a
     * file that has them.
     *
     * @throws IOException naming the file and what is wrong with it: unreadable (and why), not safetensors,
     *     corrupt (a checksum that does not match)
     */
    public static Contents read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such checkpoint file");
        }
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException(file + ": unreadable: " + IoErrors.reason(e), e);
        }
        return parse(file, all);
    }

    /** Reads the bytes of {@code file}, a safetensors file. */
    static Contents parse(Path file, byte[] all) throws IOException {
        if (all.length < 8) {
            throw new IOException(file + ": not a safetensors file (only " + all.length + " bytes)");
        }
        long headerLength = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > all.length) {
            throw new IOException(file + ": not a safetensors file (header length " + headerLength + " in a "
                    + all.length + "-byte file)");
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(new String(all, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw corrupt(file, "its header is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (!(parsed instanceof ObjectNode header)) {
            throw corrupt(file, "its header is not a JSON object");
        }
        JsonNode checksums = header.path(METADATA) instanceof ObjectNode meta ? meta.remove(CHECKSUMS) : null;
        JsonNode tensorSums = checksums == null ? null : verifyHeader(file, header, checksums);
        int dataStart = 8 + (int) headerLength;
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(METADATA)) {
                e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            String sum = tensorSums == null ? null : tensorSums.path(e.getKey()).asText(null);
            if (tensorSums != null && sum == null) {
                throw corrupt(file, "tensor " + e.getKey() + " has no checksum");
            }
            tensors.put(e.getKey(), readTensor(file, e.getKey(), e.getValue(), all, dataStart, sum));
        }
        return new Contents(tensors, metadata, checksums != null);
    }

    /** Checks the header's checksum and returns the tensors' checksums. */
    private static JsonNode verifyHeader(Path file, ObjectNode header, JsonNode checksums) throws IOException {
        JsonNode sums;
        try {
            sums = JSON.readTree(checksums.asText());
        } catch (JsonProcessingException e) {
            throw corrupt(file, "its checksums entry is not JSON");
        }
        if (!ALGORITHM.equals(sums.path("algorithm").asText())) {
            throw corrupt(file, "unknown checksum algorithm '" + sums.path("algorithm").asText() + "'");
        }
        if (!hex(crc(JSON.writeValueAsBytes(header))).equals(sums.path("header").asText())) {
            throw corrupt(file, "the header's checksum does not match (a tensor's shape or position, or the "
                    + "metadata, changed)");
        }
        return sums.path("tensors");
    }

    private static IOException corrupt(Path file, String what) {
        return new IOException(file + ": corrupt file: " + what + "; it was damaged after it was written (disk, "
                + "copy or transfer)");
    }

    private static HostTensor readTensor(Path file, String name, JsonNode entry, byte[] all, int dataStart,
                                         String checksum) throws IOException {
        String dtype = entry.path("dtype").asText();
        if (!dtype.equals("F32")) {
            throw new IOException(file + ": tensor " + name + " has dtype " + dtype + "; only F32 is supported");
        }
        JsonNode shapeNode = entry.path("shape");
        int[] shape = new int[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asInt();
            count *= shape[i];
        }
        long begin = entry.path("data_offsets").path(0).asLong(-1);
        long end = entry.path("data_offsets").path(1).asLong(-1);
        if (begin < 0 || end - begin != 4 * count || dataStart + end > all.length) {
            throw new IOException(file + ": tensor " + name + " has data offsets [" + begin + ", " + end
                    + ") that do not fit its shape or the file (truncated?)");
        }
        if (checksum != null) {
            CRC32C crc = new CRC32C();
            crc.update(all, dataStart + (int) begin, (int) (end - begin));
            if (!hex(crc).equals(checksum)) {
                throw corrupt(file, "the data of tensor " + name + " does not match its checksum");
            }
        }
        float[] data = new float[(int) count];
        ByteBuffer.wrap(all, dataStart + (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer().get(data);
        return new HostTensor(shape, data);
    }
}
