package dev.cortado.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.data.Augmentation;
import dev.cortado.data.DataInfo;
import dev.cortado.data.Normalization;
import dev.cortado.data.Preprocessing;
import dev.cortado.io.HostTensor;
import dev.cortado.io.Safetensors;
import dev.cortado.model.ModelSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint files verify themselves: damage is refused, old files without checksums still read. */
class CheckpointTest {
    private static final ModelSpec SPEC = ModelSpec.parse("""
            {"name": "tiny", "input": [1, 4, 4], "layers": [{"type": "flatten"}, {"type": "linear", "out": 3}]}""");

    @TempDir
    Path dir;

    private static Checkpoint checkpoint(float firstWeight) {
        SplittableRandom random = new SplittableRandom(3);
        float[] weight = new float[48];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) random.nextGaussian();
        }
        weight[0] = firstWeight;
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        tensors.put("1.weight", new HostTensor(new int[] {3, 16}, weight));
        tensors.put("1.bias", new HostTensor(new int[] {3}, new float[] {0.1f, -0.2f, 0.3f}));
        tensors.put("optimizer.1.weight.momentum_buffer", new HostTensor(new int[] {3, 16}, new float[48]));
        tensors.put("optimizer.1.bias.momentum_buffer", new HostTensor(new int[] {3}, new float[3]));
        return new Checkpoint(SPEC, TrainingConfig.defaults(), new TrainingPosition(0, 5, 5, 100), List.of(), null,
                Map.of(), tensors, true);
    }

    @Test
    void theTrainingDatasClassNamesAndPreprocessingTravelInTheMetadata() throws Exception {
        Checkpoint plain = checkpoint(0.5f);
        DataInfo info = new DataInfo(List.of("ant", "bee", "cat"), new Preprocessing(Normalization.parse("0.1,0.3"),
                Augmentation.standard()));
        Path file = dir.resolve("with-data.safetensors");
        new Checkpoint(plain.spec(), plain.config(), plain.position(), plain.history(), plain.partialEpoch(),
                plain.dropoutCalls(), plain.tensors(), true, info).write(file);
        Checkpoint read = Checkpoint.read(file);
        assertEquals(info, read.data());
        assertEquals("[\"ant\",\"bee\",\"cat\"]", Safetensors.read(file).metadata().get("classes"));
        Path without = dir.resolve("without-data.safetensors");
        plain.write(without);
        assertEquals(DataInfo.NONE, Checkpoint.read(without).data());
    }

    /** The probe's test: many copies, each with a few random bits flipped, none of which may load. */
    @Test
    void copiesWithRandomBitFlipsAreAllRefused() throws Exception {
        Path file = dir.resolve("last.safetensors");
        checkpoint(0.5f).write(file);
        byte[] good = Files.readAllBytes(file);
        SplittableRandom random = new SplittableRandom(16);
        List<String> loaded = new ArrayList<>();
        for (int copy = 0; copy < 200; copy++) {
            byte[] bad = good.clone();
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                bad[random.nextInt(bad.length)] ^= (byte) (1 << random.nextInt(8));
            }
            Path damaged = Files.write(dir.resolve("copy-" + copy + ".safetensors"), bad);
            try {
                Checkpoint.read(damaged);
                loaded.add(damaged.getFileName().toString());
            } catch (CheckpointException expected) {
                assertTrue(expected.getMessage().startsWith(damaged.toString()), expected.getMessage());
            }
        }
        assertEquals(List.of(), loaded, "damaged copies that loaded");
        Checkpoint back = Checkpoint.read(file);
        assertTrue(back.checksummed());
        assertArrayEquals(checkpoint(0.5f).tensors().get("1.weight").data(), back.tensors().get("1.weight").data());
    }

    /** Rewrites a checkpoint's header as Cortado wrote it before checksums: format version 1, no checksums. */
    private static Path asVersion1(Path file, Path target) throws Exception {
        byte[] all = Files.readAllBytes(file);
        int length = (int) ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = (ObjectNode) json.readTree(new String(all, 8, length, StandardCharsets.UTF_8));
        ObjectNode meta = (ObjectNode) header.get("__metadata__");
        meta.remove(Safetensors.CHECKSUMS);
        meta.put("format_version", "1");
        byte[] newHeader = json.writeValueAsBytes(header);
        ByteBuffer out = ByteBuffer.allocate(8 + newHeader.length + all.length - 8 - length)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(newHeader.length).put(newHeader).put(all, 8 + length, all.length - 8 - length);
        return Files.write(target, out.array());
    }

    @Test
    void aVersion1CheckpointWithoutChecksumsReadsAndSaysSo() throws Exception {
        Path file = dir.resolve("last.safetensors");
        checkpoint(0.5f).write(file);
        Checkpoint old = Checkpoint.read(asVersion1(file, dir.resolve("v1.safetensors")));
        assertFalse(old.checksummed());
        assertEquals(checkpoint(0.5f).position(), old.position());
        assertArrayEquals(checkpoint(0.5f).tensors().get("1.bias").data(), old.tensors().get("1.bias").data());
    }

    @Test
    void aVersion2CheckpointThatLostItsChecksumsIsRefused() throws Exception {
        Path file = dir.resolve("last.safetensors");
        checkpoint(0.5f).write(file);
        Path stripped = asVersion1(file, dir.resolve("stripped.safetensors"));
        byte[] bytes = Files.readAllBytes(stripped);
        String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("\"format_version\":\"1\"",
                "\"format_version\":\"2\"");
        Files.write(stripped, text.getBytes(StandardCharsets.ISO_8859_1));
        String message = assertThrows(CheckpointException.class, () -> Checkpoint.read(stripped)).getMessage();
        assertTrue(message.contains("corrupt file: a version 2 checkpoint without its checksums"), message);
    }

    @Test
    void nonFiniteValuesAreNamedTensorByTensor() {
        assertEquals(Optional.empty(), checkpoint(0.5f).nonFinite());
        assertEquals(Optional.of("1.weight (1 NaN of 48 values)"), checkpoint(Float.NaN).nonFinite());
        assertEquals(Optional.of("1.weight (1 infinite of 48 values)"),
                checkpoint(Float.NEGATIVE_INFINITY).nonFinite());
    }
}
