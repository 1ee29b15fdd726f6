package dev.cortado.benchmarks;

import dev.cortado.backend.Backend;
import dev.cortado.backend.BatchNormSpec;
import dev.cortado.device.Device;
import dev.cortado.device.Devices;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU fallback's batch-norm ops at batch 128, on the three shapes of ResNet-8's stages on 28 x 28 images:
 * 16 channels of 28 x 28, 32 of 14 x 14, 64 of 7 x 7. Training's forward (batch statistics and the normalized
 * output) and backward (parameter and input gradients), and evaluation's forward with given statistics, through
 * the backend's public ops.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class BatchNormBenchmark {
    private static final int BATCH = 128;
    private static final float EPSILON = 1e-5f;

    /** Channels x side of the planes. */
    @Param({"16x28", "32x14", "64x7"})
    public String stage;

    private Backend backend;
    private BatchNormSpec spec;
    private Tensor x;
    private Tensor dy;
    private Tensor y;
    private Tensor dx;
    private Tensor weight;
    private Tensor bias;
    private Tensor mean;
    private Tensor variance;
    private Tensor weightGrad;
    private Tensor biasGrad;

    @Setup
    public void setUp() {
        backend = Devices.system().open(Device.CPU);
        Planes planes = Planes.parse(stage);
        spec = new BatchNormSpec(BATCH, planes.channels(), planes.side() * planes.side());
        Shape image = planes.images(BATCH, 1);
        Shape perChannel = Shape.of(planes.channels());
        x = RandomTensors.uniform(backend, image, 1);
        dy = RandomTensors.uniform(backend, image, 2);
        y = backend.full(image, 0f);
        dx = backend.full(image, 0f);
        weight = RandomTensors.uniform(backend, perChannel, 3);
        bias = RandomTensors.uniform(backend, perChannel, 4);
        mean = backend.full(perChannel, 0f);
        variance = backend.full(perChannel, 0f);
        weightGrad = backend.full(perChannel, 0f);
        biasGrad = backend.full(perChannel, 0f);
        forward(); // the batch statistics that backward reads
    }

    @Benchmark
    public Tensor forward() {
        backend.batchNormForward(spec, EPSILON, x, weight, bias, y, mean, variance);
        return y;
    }

    /** With the statistics of the batch standing in for running ones. */
    @Benchmark
    public Tensor inference() {
        backend.batchNormInference(spec, EPSILON, x, mean, variance, weight, bias, y);
        return y;
    }

    /** With the batch's mean, and its variance standing in for the inverse deviation (any positive values do). */
    @Benchmark
    public Tensor backward() {
        backend.batchNormBackward(spec, x, mean, variance, weight, dy, weightGrad, biasGrad, dx);
        return dx;
    }

    @TearDown
    public void tearDown() {
        for (Tensor t : new Tensor[] {x, dy, y, dx, weight, bias, mean, variance, weightGrad, biasGrad}) {
            t.close();
        }
        backend.close();
    }
}
