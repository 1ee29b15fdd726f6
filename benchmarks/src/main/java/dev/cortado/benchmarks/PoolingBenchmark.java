package dev.cortado.benchmarks;

import dev.cortado.backend.Backend;
import dev.cortado.backend.PoolSpec;
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
 * The CPU fallback's 2 x 2 max pooling at stride 2 on LeNet-5's two pooling layers at batch 64 (6 channels of
 * 28 x 28, 16 of 10 x 10), forward and backward, through the backend's public ops.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PoolingBenchmark {
    private static final int BATCH = 64;

    /** Channels x side of the input planes. */
    @Param({"6x28", "16x10"})
    public String layer;

    private Backend backend;
    private PoolSpec spec;
    private Tensor x;
    private Tensor y;
    private Tensor dy;
    private Tensor dx;

    @Setup
    public void setUp() {
        backend = Devices.system().open(Device.CPU);
        Planes planes = Planes.parse(layer);
        spec = new PoolSpec(PoolSpec.Kind.MAX, BATCH, planes.channels(), planes.side(), planes.side(), 2, 2, 0);
        Shape input = planes.images(BATCH, 1);
        Shape output = planes.images(BATCH, 2);
        x = RandomTensors.uniform(backend, input, 1);
        dy = RandomTensors.uniform(backend, output, 2);
        y = backend.full(output, 0f);
        dx = backend.full(input, 0f);
    }

    @Benchmark
    public Tensor forward() {
        backend.poolForward(spec, x, y);
        return y;
    }

    @Benchmark
    public Tensor backward() {
        backend.poolBackward(spec, x, dy, dx);
        return dx;
    }

    @TearDown
    public void tearDown() {
        for (Tensor t : new Tensor[] {x, y, dy, dx}) {
            t.close();
        }
        backend.close();
    }
}
