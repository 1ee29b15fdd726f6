package dev.cortado.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cortado.data.Augmentation;
import dev.cortado.io.HostTensor;
import dev.cortado.train.Checkpoint;
import dev.cortado.train.TrainingPosition;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real models on real data formats, through the command as a process: a short augmented run of resnet8 on CIFAR-10
 * binary files and on an image folder that the test writes, killed with SIGKILL in its second epoch and resumed, ends with
 * the weights of a run that was never stopped; {@code cortado predict} on PNG files gives each image the class
 * that {@code cortado eval} gives it in a dataset of its own; and {@code cortado bench --data} measures the loader on
 * both.
 */
class RealDataIT {
    static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");
    private static final int IMAGE_BYTES = 3 * 32 * 32;

    @TempDir
    static Path tmp;
    static Path cifar;
    static Path images;

    /** The model trained: the built-in ResNet, which takes CIFAR's [3, 32, 32] images as they are. */
    static String model() {
        return "resnet8";
    }

    @BeforeAll
    static void writeTheData() throws Exception {
        cifar = Files.createDirectories(tmp.resolve("cifar"));
        Files.write(cifar.resolve("data_batch_1.bin"), records(0, 120));
        Files.write(cifar.resolve("data_batch_2.bin"), records(120, 80));
        Files.write(cifar.resolve("test_batch.bin"), records(1000, 40));
        Files.writeString(cifar.resolve("batches.meta.txt"), String.join("\n", CLASSES) + "\n\n");
        images = tmp.resolve("images");
        for (int i = 0; i < 160; i++) {
            String split = i < 120 ? "train" : "test";
            String format = i % 3 == 0 ? "jpg" : "png";
            writeImage(images.resolve(split).resolve(CLASSES.get(i % 10)).resolve(i + "." + format), image(5000 + i),
                    format);
        }
    }

    @Test
    void cifarFilesAreRecognisedTrainedAugmentedAndResumedAfterSigkillToTheSameWeights() throws Exception {
        String[] args = trainArgs(cifar, "cifar-run");
        CortadoProcess.Result reference = CortadoProcess.run(args);
        assertEquals(0, reference.exitCode(), reference.errors().toString());
        assertTrue(reference.out().contains("data: " + cifar + ": CIFAR-10 binary, 200 training and 40 test images "
                + "of [3, 32, 32] in 10 classes"), reference.out());
        assertTrue(reference.out().contains("model: resnet8 (78,042 parameters): Sequential(Conv2d(3->16, 3x3"),
                reference.out());
        assertTrue(reference.out().contains("input: normalized with mean ["), reference.out());
        assertTrue(reference.out().contains("training images augmented with random crops with padding 4, horizontal "
                + "flips"), reference.out());
        Checkpoint checkpoint = Checkpoint.read(tmp.resolve("cifar-run/last.safetensors"));
        assertEquals(CLASSES, checkpoint.data().classNames());
        assertEquals(Augmentation.standard(), checkpoint.data().preprocessing().augmentation());
        assertNotNull(checkpoint.data().preprocessing().normalization());

        killResumeAndCompare(args);
    }

    @Test
    void anImageFolderIsRecognisedTrainedAugmentedAndResumedAfterSigkillToTheSameWeights() throws Exception {
        String[] args = trainArgs(images, "images-run", "--image-shape", "3,32,32");
        CortadoProcess.Result reference = CortadoProcess.run(args);
        assertEquals(0, reference.exitCode(), reference.errors().toString());
        assertTrue(reference.out().contains("data: " + images + ": image folder, 120 training and 40 test images of "
                + "[3, 32, 32] in 10 classes"), reference.out());
        assertTrue(reference.out().contains("model: resnet8 (78,042 parameters): Sequential(Conv2d(3->16, 3x3"),
                reference.out());
        killResumeAndCompare(args);
    }

    /**
     * The checkpoint of an augmented, normalized CIFAR run: eval on CIFAR records of one image per class, and
     * predict on the same images written as PNG files, give every image the same class.
     */
    @Test
    void predictOnAPngGivesTheClassEvalGivesTheSameImage() throws Exception {
        Path out = tmp.resolve("predict-run");
        CortadoProcess.Result train = CortadoProcess.run("train", "--model", model(), "--data", cifar.toString(),
                "--out", out.toString(), "--epochs", "2", "--batch-size", "16", "--augment", "--seed", "3");
        assertEquals(0, train.exitCode(), train.errors().toString());
        Path checkpoint = out.resolve("last.safetensors");

        Path tiny = Files.createDirectories(tmp.resolve("tiny-cifar"));
        Path pngs = Files.createDirectories(tmp.resolve("pngs"));
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        for (int c = 0; c < 10; c++) {
            byte[] record = record(c, 7000 + c);
            records.writeBytes(record);
            writeImage(pngs.resolve(c + "-" + CLASSES.get(c) + ".png"), fromRecord(record), "png");
        }
        Files.write(tiny.resolve("test_batch.bin"), records.toByteArray());
        CortadoProcess.Result eval = CortadoProcess.run("eval", "--checkpoint", checkpoint.toString(), "--data",
                tiny.toString());
        assertEquals(0, eval.exitCode(), eval.errors().toString());
        List<String> evalClasses = predictedByEval(eval);

        CortadoProcess.Result predict = CortadoProcess.run("predict", "--checkpoint", checkpoint.toString(), "--json",
                "--top", "2", pngs.toString());
        assertEquals(0, predict.exitCode(), predict.errors().toString());
        JsonNode predictions = new ObjectMapper().readTree(predict.out()).path("predictions");
        assertEquals(10, predictions.size());
        for (int c = 0; c < 10; c++) {
            JsonNode image = predictions.get(c);
            assertTrue(image.path("file").asText().endsWith(c + "-" + CLASSES.get(c) + ".png"), image.toString());
            assertEquals(evalClasses.get(c), image.path("top").get(0).path("class").asText(), "image of class " + c);
            assertTrue(image.path("top").get(0).path("probability").asDouble() >= image.path("top").get(1)
                    .path("probability").asDouble());
        }
        CortadoProcess.Result text = CortadoProcess.run("predict", "--checkpoint", checkpoint.toString(),
                pngs.resolve("3-cat.png").toString());
        assertEquals(0, text.exitCode(), text.errors().toString());
        String line = text.stdout().get(text.stdout().size() - 1);
        assertTrue(line.startsWith(pngs.resolve("3-cat.png") + ": " + evalClasses.get(3) + " "), line);
    }

    @Test
    void benchMeasuresTheLoaderOnEachFormatWithOneAndMoreThreadsWithAndWithoutAugmentation() throws Exception {
        for (Path data : List.of(cifar, images)) {
            CortadoProcess.Result bench = CortadoProcess.run("bench", "--data", data.toString(), "--models", model(),
                    "--loader-threads", "2", "--batch-size", "8", "--batches", "3", "--warmup", "0", "--repeats", "2",
                    "--json");
            assertEquals(0, bench.exitCode(), bench.errors().toString());
            JsonNode rows = new ObjectMapper().readTree(bench.out()).path("loader");
            List<String> measured = new ArrayList<>();
            for (JsonNode row : rows) {
                measured.add(row.path("source").asText() + " " + row.path("threads").asInt() + " "
                        + row.path("augment").asBoolean());
                assertEquals(2, row.path("runs").size());
                assertTrue(row.path("samples_per_second").asDouble() > 0, row.toString());
            }
            List<String> expected = new ArrayList<>();
            for (String source : data.equals(images) ? List.of("decoded", "cached") : List.of("memory")) {
                expected.addAll(List.of(source + " 1 false", source + " 1 true", source + " 2 false",
                        source + " 2 true"));
            }
            assertEquals(expected, measured);
        }
    }

    /** The class eval predicts for each true class, from the confusion matrix of a set with one image per class. */
    private static List<String> predictedByEval(CortadoProcess.Result eval) {
        List<String> predicted = new ArrayList<>();
        List<String> lines = eval.stdout();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("true \\ predicted")).findFirst()
                .orElseThrow());
        for (int c = 0; c < 10; c++) {
            String[] cells = lines.get(header + 1 + c).trim().split(" +");
            assertEquals(c + " " + CLASSES.get(c), cells[0] + " " + cells[1], eval.out());
            for (int p = 0; p < 10; p++) {
                if (cells[2 + p].equals("1")) {
                    predicted.add(CLASSES.get(p));
                }
            }
            assertEquals(c + 1, predicted.size(), "one prediction for class " + c + " in\n" + eval.out());
        }
        return predicted;
    }

    /**
     * 6 epochs of 30 steps or more (so that many steps remain when the kill in the second epoch lands), a checkpoint
     * every 3 steps, augmented.
     */
    private static String[] trainArgs(Path data, String out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--model", model(), "--data", data.toString(), "--out",
                tmp.resolve(out).toString(), "--epochs", "6", "--batch-size", "4", "--lr", "0.02", "--augment",
                "--seed", "11", "--checkpoint-every", "3", "--log-every", "10", "--verbose"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** Runs {@code referenceArgs} again into another directory, killed in its second epoch and resumed. */
    private static void killResumeAndCompare(String[] referenceArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of(referenceArgs));
        Path referenceOut = Path.of(args.get(args.indexOf("--out") + 1));
        Checkpoint reference = Checkpoint.read(referenceOut.resolve("last.safetensors"));
        Path out = Path.of(referenceOut + "-killed");
        args.set(args.indexOf("--out") + 1, out.toString());
        TrainingPosition killedAt = CortadoProcess.killedInSecondEpoch(out, args.toArray(String[]::new));
        assertTrue(killedAt.epoch() >= 1, "the checkpoint left by the kill is older than the one seen: " + killedAt);

        args.add("--resume");
        CortadoProcess.Result resumed = CortadoProcess.run(args.toArray(String[]::new));
        assertEquals(0, resumed.exitCode(), resumed.errors().toString());
        assertTrue(resumed.out().contains("resuming: " + out.resolve("last.safetensors") + " at "
                + killedAt.describe()), resumed.out());
        Checkpoint after = Checkpoint.read(out.resolve("last.safetensors"));
        assertEquals(reference.position(), after.position());
        assertEquals(reference.data(), after.data());
        assertEquals(reference.tensors().keySet(), after.tensors().keySet());
        for (Map.Entry<String, HostTensor> e : reference.tensors().entrySet()) {
            assertArrayEquals(e.getValue().data(), after.tensors().get(e.getKey()).data(), e.getKey());
        }
    }

    /** {@code count} CIFAR records, record {@code i} of class {@code (first + i) % 10}. */
    private static byte[] records(int first, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = first; i < first + count; i++) {
            out.writeBytes(record(i % 10, i));
        }
        return out.toByteArray();
    }

    /** A record of class {@code label}: a colour of its class with noise from {@code seed}. */
    private static byte[] record(int label, long seed) {
        byte[] record = new byte[1 + IMAGE_BYTES];
        record[0] = (byte) label;
        SplittableRandom random = new SplittableRandom(seed);
        for (int c = 0; c < 3; c++) {
            int base = 40 + 20 * ((label + 3 * c) % 10);
            for (int i = 0; i < 1024; i++) {
                record[1 + c * 1024 + i] = (byte) Math.max(0, Math.min(255, base + random.nextInt(-40, 41)));
            }
        }
        return record;
    }

    /** The image of a CIFAR record: its red, green and blue planes as RGB pixels. */
    private static BufferedImage fromRecord(byte[] record) {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                int i = 1 + y * 32 + x;
                image.setRGB(x, y, (record[i] & 0xFF) << 16 | (record[i + 1024] & 0xFF) << 8
                        | (record[i + 2048] & 0xFF));
            }
        }
        return image;
    }

    private static BufferedImage image(long seed) {
        return fromRecord(record((int) (seed % 10), seed));
    }

    private static void writeImage(Path file, BufferedImage image, String format) throws Exception {
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(image, format, file.toFile()), format);
    }
}
