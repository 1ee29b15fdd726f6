package dev.cortado.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Safetensors files: what is written reads back, and a file damaged anywhere is refused. */
class SafetensorsTest {
    @TempDir
    Path dir;

    private static Map<String, HostTensor> tensors() {
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        tensors.put("0.weight", new HostTensor(new int[] {2, 3}, new float[] {1, -2, 3.5f, 0, 1e-7f, -0f}));
        tensors.put("0.bias", new HostTensor(new int[] {2}, new float[] {0.25f, -8}));
        return tensors;
    }

    private static Map<String, String> metadata() {
        return Map.of("format", "test", "model", "{\n  \"name\": \"caf\u00e9\"\n}");
    }

    @Test
    void tensorsAndMetadataReadBackWithTheirChecksumsVerified() throws Exception {
        Path file = dir.resolve("a.safetensors");
        Safetensors.write(file, tensors(), metadata());
        Safetensors.Contents back = Safetensors.read(file);
        assertTrue(back.checksummed());
        assertEquals(metadata(), back.metadata());
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(back.tensors().keySet()));
        for (Map.Entry<String, HostTensor> e : tensors().entrySet()) {
            assertArrayEquals(e.getValue().shape(), back.tensors().get(e.getKey()).shape());
            assertArrayEquals(e.getValue().data(), back.tensors().get(e.getKey()).data());
        }
        // The checksums are one more string in the metadata: other readers see a plain safetensors file.
        String header = header(Files.readAllBytes(file));
        assertTrue(header.contains("\"checksums\":\"{\\\"algorithm\\\":\\\"crc32c\\\""), header);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "a temporary file was left");
        }
    }

    private static String header(byte[] file) {
        int length = (int) ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(file, 8, length, StandardCharsets.UTF_8);
    }

    /** Every single bit of the file, flipped in its own copy: length, header, padding and data alike. */
    @Test
    void everySingleBitFlipIsRefused() throws Exception {
        Path file = dir.resolve("a.safetensors");
        Safetensors.write(file, tensors(), metadata());
        byte[] good = Files.readAllBytes(file);
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                try {
                    Safetensors.Contents c = Safetensors.parse(file, bad);
                    if (c.checksummed()) {
                        accepted.add("byte " + i + " bit " + bit);
                    } else {
                        // Only the checksums entry's own name can be hit this way; a checkpoint refuses that.
                        assertTrue(c.metadata().keySet().stream().anyMatch(k -> !metadata().containsKey(k)),
                                "byte " + i + " bit " + bit + " dropped the checksums");
                    }
                } catch (IOException expected) {
                    assertTrue(expected.getMessage().startsWith(file.toString()), expected.getMessage());
                }
            }
        }
        assertEquals(List.of(), accepted, "bit flips read as a good file (of " + good.length * 8 + ")");
    }

    @Test
    void aFileOfAnotherWriterWithoutChecksumsReads() throws Exception {
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2],"
                + "\"data_offsets\":[0,8]}}  ";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + header.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(header.length).put(header).putFloat(1.5f).putFloat(-2f);
        Path file = Files.write(dir.resolve("pt.safetensors"), bytes.array());
        Safetensors.Contents c = Safetensors.read(file);
        assertFalse(c.checksummed());
        assertArrayEquals(new float[] {1.5f, -2f}, c.tensors().get("w").data());
        assertEquals(Map.of("format", "pt"), c.metadata());
    }

    @Test
    void aDamagedTensorIsNamed() throws Exception {
        Path file = dir.resolve("a.safetensors");
        Safetensors.write(file, tensors(), metadata());
        byte[] bad = Files.readAllBytes(file);
        bad[bad.length - 1] ^= 0x10;
        String message = assertThrows(IOException.class, () -> Safetensors.parse(file, bad)).getMessage();
        assertEquals(file + ": corrupt file: the data of tensor 0.bias does not match its checksum; it was damaged "
                + "after it was written (disk, copy or transfer)", message);
    }

    @Test
    void anUnreadableFileSaysWhy() {
        assertEquals("permission denied", IoErrors.reason(new AccessDeniedException("/x/last.safetensors")));
        assertEquals("No space left on device", IoErrors.reason(new IOException("No space left on device")));
    }
}
