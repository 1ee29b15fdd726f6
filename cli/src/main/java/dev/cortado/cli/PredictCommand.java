package dev.cortado.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cortado.Model;
import dev.cortado.Prediction;
import dev.cortado.backend.Backend;
import dev.cortado.data.DataInfo;
import dev.cortado.data.DatasetException;
import dev.cortado.data.ImageFiles;
import dev.cortado.device.Devices;
import dev.cortado.tensor.Shape;
import dev.cortado.train.Checkpoint;
import dev.cortado.train.CheckpointException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cortado predict}: the most likely classes of image files, each read as the checkpoint's model was trained
 * (grey or RGB at its input's size, normalized as the checkpoint says) and named with its class names.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints the most likely classes, with their probabilities, of each image (PNG, JPEG, BMP, GIF) "
                + "given, or of every image in the folders given, by the model of a checkpoint.",
                "Images are read as the model's training images were: made grey or RGB and resized to its input, "
                        + "normalized as the checkpoint says; classes are named as the checkpoint names them."})
final class PredictCommand implements Callable<Integer> {
    private static final int MAX_TOP = 1000;

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "A checkpoint written by 'cortado train' or a model saved with Model.save.")
    Path checkpointFile;

    @Parameters(arity = "1..*", paramLabel = "IMAGE|DIR", description = "Image files, or folders whose images "
            + "(in subfolders too) are all predicted, in the order of their paths.")
    List<Path> paths;

    @Option(names = "--top", defaultValue = "3", paramLabel = "K", description = "Classes shown per image "
            + "(default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "Print JSON: every image's classes, indices and probabilities.")
    boolean json;

    @Mixin
    DeviceOption device;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        if (top < 1 || top > MAX_TOP) {
            throw new CliException(ExitCode.USAGE, "--top must be 1.." + MAX_TOP + ", got " + top);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.read(checkpointFile);
        } catch (CheckpointException e) {
            throw new CliException(ExitCode.CHECKPOINT, e.getMessage(), e);
        }
        CheckpointNote.ifUnchecked(err, checkpointFile, checkpoint);
        Shape input = checkpoint.spec().input();
        try {
            ImageFiles.checkShape(input);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.MODEL, "model '" + checkpoint.spec().name() + "' of " + checkpointFile
                    + " takes samples of " + input + ", not images: predict reads images for models whose input is "
                    + "(1 or 3, height, width)", e);
        }
        List<Path> files = images(paths);
        DeviceOption.Opened opened = device.open(Devices.system());
        List<Prediction> predictions;
        DataInfo classes;
        try (Backend backend = opened.backend(); Model model = Model.load(checkpointFile, backend)) {
            classes = model.dataInfo();
            predictions = model.predictImages(files);
        } catch (CheckpointException e) {
            throw new CliException(ExitCode.CHECKPOINT, e.getMessage(), e);
        } catch (DatasetException e) {
            throw new CliException(ExitCode.DATA, e.getMessage(), e);
        }
        if (!json) {
            out.println("checkpoint: " + checkpointFile + " (model " + checkpoint.spec().name() + ", input " + input
                    + (classes.preprocessing().normalization() == null ? ""
                    : ", normalized with " + classes.preprocessing().normalization().describe()) + ")");
            out.println("device: " + opened.describe());
            out.println();
        }
        out.print(json ? toJson(files, predictions, classes) : text(files, predictions, classes));
        out.flush();
        return ExitCode.OK.code();
    }

    /** The files given and the images in the folders given, each folder's in the order of their paths. */
    static List<Path> images(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                List<Path> found;
                try (Stream<Path> walk = Files.walk(path)) {
                    found = walk.filter(p -> Files.isRegularFile(p) && ImageFiles.isImage(p)).sorted().toList();
                } catch (IOException | UncheckedIOException e) {
                    throw new CliException(ExitCode.DATA, path + ": cannot list the folder: " + e.getMessage(), e);
                }
                if (found.isEmpty()) {
                    throw new CliException(ExitCode.DATA, path + ": no images in it (" + String.join(", ",
                            ImageFiles.EXTENSIONS) + ")");
                }
                files.addAll(found);
            } else if (Files.exists(path)) {
                files.add(path);
            } else {
                throw new CliException(ExitCode.DATA, path + ": no such file or directory");
            }
        }
        return files;
    }

    /** {@code cat.png: cat 91.20%, dog 5.10%, frog 1.02%}, one line per image. */
    private String text(List<Path> files, List<Prediction> predictions, DataInfo classes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < files.size(); i++) {
            text.append(files.get(i)).append(": ").append(predictions.get(i).topK(top).stream()
                    .map(s -> classes.className(s.index()) + " " + Format.percent(s.probability()))
                    .collect(Collectors.joining(", "))).append('\n');
        }
        return text.toString();
    }

    private String toJson(List<Path> files, List<Prediction> predictions, DataInfo classes) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("checkpoint", checkpointFile.toString());
        ArrayNode images = root.putArray("predictions");
        for (int i = 0; i < files.size(); i++) {
            ObjectNode image = images.addObject();
            image.put("file", files.get(i).toString());
            ArrayNode ranked = image.putArray("top");
            for (Prediction.Scored s : predictions.get(i).topK(top)) {
                ObjectNode entry = ranked.addObject();
                entry.put("class", classes.className(s.index()));
                entry.put("index", s.index());
                entry.put("probability", s.probability());
            }
        }
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
