package dev.cortado.benchmarks;

import dev.cortado.backend.Backend;
import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.ConvSpec;
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
 * The CPU fallback's stride-1 3x3 convolutions of the CIFAR ResNets' three stages on 28 x 28 images (16 channels
 * of 28 x 28, 32 of 14 x 14, 64 of 7 x 7; as many channels out as in) at batch 64, through the backend's public
 * ops: forward, input gradient and weight gradient. The backend picks each op's method, so the figures follow it
 * (Winograd's transforms from 32 channels, direct convolutions below).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ResNetConvBenchmark {
    private static final int BATCH = 64;

    /** Channels x side of the planes. */
    @Param({"16x28", "32x14", "64x7"})
    public String stage;

    private Backend backend;
    private ConvSpec spec;
    private Tensor x;
    private Tensor w;
    private Tensor dy;
    private Tensor y;
    private Tensor dx;
    private Tensor dw;

    @Setup
    public void setUp() {
        backend = Devices.system().open(Device.CPU);
        Planes planes = Planes.parse(stage);
        int channels = planes.channels();
        spec = new ConvSpec(new ConvGeometry(BATCH, channels, planes.side(), planes.side(), 3, 3, 1, 1, 1),
                channels, 1);
        Shape images = planes.images(BATCH, 1);
        x = RandomTensors.uniform(backend, images, 1);
        w = RandomTensors.uniform(backend, Shape.of(channels, channels, 3, 3), 2);
        dy = RandomTensors.uniform(backend, images, 3);
        y = backend.full(images, 0f);
        dx = backend.full(images, 0f);
        dw = backend.full(Shape.of(channels, channels, 3, 3), 0f);
    }

    @Benchmark
    public Tensor forward() {
        backend.convolutionForward(spec, x, w, y);
        return y;
    }

    @Benchmark
    public Tensor backwardInput() {
        backend.convolutionBackwardInput(spec, w, dy, dx);
        return dx;
    }

    /** Adds into dw at every call, as the op does; the values stay finite over a run. */
    @Benchmark
    public Tensor backwardWeight() {
        backend.convolutionBackwardWeight(spec, x, dy, dw);
        return dw;
    }

    @TearDown
    public void tearDown() {
        for (Tensor t : new Tensor[] {x, w, dy, y, dx, dw}) {
            t.close();
        }
        backend.close();
    }
}
