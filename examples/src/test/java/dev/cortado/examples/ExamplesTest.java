package dev.cortado.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.backend.Backend;
import dev.cortado.device.Device;
import dev.cortado.device.DeviceInfo;
import dev.cortado.device.Devices;
import dev.cortado.train.Evaluation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every example, on the CPU and on opencl:0 (skipped, with the reason, where there is no OpenCL device). */
class ExamplesTest {
    private static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private static Backend open(String device) {
        DeviceInfo info = Devices.system().list().stream().filter(i -> i.device().equals(Device.parse(device)))
                .findFirst().orElse(null);
        boolean usable = info != null && info.isAvailable();
        if (!usable) {
            System.out.println("skipping the examples on " + device + ": "
                    + (info == null ? "no such device" : info.reason()));
        }
        Assumptions.assumeTrue(usable, () -> device + " is unavailable");
        return Devices.open(device);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl:0"})
    void theQuickStartLearnsSavesLoadsAndPredicts(String device) throws Exception {
        open(device).close();
        String out = printed(() -> QuickStart.main(new String[] {device}));
        double accuracy = Double.parseDouble(out.lines().filter(l -> l.startsWith("test accuracy "))
                .findFirst().orElseThrow(() -> new AssertionError(out)).substring("test accuracy ".length()));
        assertTrue(accuracy > 0.9, out);
        assertTrue(out.contains("predicted "), out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl:0"})
    void theFashionMnistClassifierLearns(String device) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(FASHION_MNIST), "no " + FASHION_MNIST
                + " (apt-get install dataset-fashion-mnist)");
        try (Backend backend = open(device)) {
            Evaluation result = FashionMnistClassifier.train(backend, FASHION_MNIST, 12_000);
            assertTrue(result.accuracy() > 0.6, "test accuracy after 12,000 images: " + result.accuracy());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl:0"})
    void theRegressionFitsBothFunctions(String device) {
        try (Backend backend = open(device)) {
            Evaluation result = InMemoryRegression.train(backend);
            assertTrue(result.metric() < 0.1, "test mean absolute error " + result.metric());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl:0"})
    void eightThreadsGetTheAnswersOfOne(String device) throws Exception {
        try (Backend backend = open(device)) {
            assertEquals(0, ConcurrentPredictions.run(backend));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl:0"})
    void aLayerOfOnesOwnIsSavedAndLoaded(String device) throws Exception {
        try (Backend backend = open(device)) {
            assertEquals(0f, CustomLayer.run(backend), "the loaded model computes what the saved one did");
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private static String printed(Body body) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(original);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        return out;
    }
}
