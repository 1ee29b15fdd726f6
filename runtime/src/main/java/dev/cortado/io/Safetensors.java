package dev.cortado.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the safetensors format (the one PyTorch's {@code safetensors} package, Hugging Face and
 * others read): an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and byte
 * range, then the raw little-endian data. Cortado writes F32 tensors and string metadata only.
 *
 * <p>Writes are atomic: the file is written and flushed under a temporary name in the same directory, then
 * renamed over the target, so a crash never leaves a half-written file.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L * 1024 * 1024;

    private Safetensors() {
    }

    /** The contents of a file: tensors in file order and the string metadata. */
    public record Contents(Map<String, HostTensor> tensors, Map<String, String> metadata) {
    }

    /** Writes tensors (in map order) and metadata to {@code file} atomically. */
    public static void write(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
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
        }
        byte[] headerBytes = paddedHeader(header);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Named by process rather than made by createTempFile, so the file gets the usual permissions (umask), not
        // owner-only ones: checkpoints are often read by another user, as from a container's volume.
        Path temp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length);
                out.write(len.array());
                out.write(headerBytes);
                for (HostTensor t : tensors.values()) {
                    ByteBuffer data = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
                    data.asFloatBuffer().put(t.data());
                    out.write(data.array());
                }
                out.flush();
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

    /** The header JSON, padded with spaces to a multiple of 8 bytes as the format recommends. */
    private static byte[] paddedHeader(ObjectNode header) throws JsonProcessingException {
        String json = JSON.writeValueAsString(header);
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        return (json + " ".repeat((8 - bytes % 8) % 8)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a file written by Cortado or any safetensors writer (F32 tensors only).
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static Contents read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such checkpoint file");
        }
        byte[] all = Files.readAllBytes(file);
        if (all.length < 8) {
            throw new IOException(file + ": not a safetensors file (only " + all.length + " bytes)");
        }
        long headerLength = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > all.length) {
            throw new IOException(file + ": not a safetensors file (header length " + headerLength + " in a "
                    + all.length + "-byte file)");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(all, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": corrupt safetensors header: " + e.getOriginalMessage(), e);
        }
        int dataStart = 8 + (int) headerLength;
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            tensors.put(e.getKey(), readTensor(file, e.getKey(), e.getValue(), all, dataStart));
        }
        return new Contents(tensors, metadata);
    }

    private static HostTensor readTensor(Path file, String name, JsonNode entry, byte[] all, int dataStart)
            throws IOException {
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
        float[] data = new float[(int) count];
        ByteBuffer.wrap(all, dataStart + (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer().get(data);
        return new HostTensor(shape, data);
    }
}
