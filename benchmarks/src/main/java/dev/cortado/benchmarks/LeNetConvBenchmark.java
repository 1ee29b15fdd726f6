package dev.cortado.benchmarks;

import dev.cortado.backend.Backend;
import dev.cortado.device.Device;
import dev.cortado.device.Devices;
import dev.cortado.nn.Initializer;
import dev.cortado.nn.layers.Conv2d;
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
 * LeNet-5's two convolution layers at batch 64 on the CPU fallback, as training runs them: forward alone, and
 * forward plus backward (weight, bias and input gradients). conv1 is 1->6 channels, 5x5, padding 2 on 28x28;
 * conv2 is 6->16 channels, 5x5 on 14x14.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LeNetConvBenchmark {
    private static final int BATCH = 64;

    @Param({"conv1", "conv2"})
    public String layer;

    private Backend backend;
    private Conv2d conv;
    private Tensor input;
    private Tensor outputGrad;

    @Setup
    public void setUp() {
        backend = Devices.system().open(Device.CPU);
        Initializer init = new Initializer(1);
        Shape in;
        if (layer.equals("conv1")) {
            conv = new Conv2d(backend, init, 1, 6, 5, 5, 1, 2, 1, true);
            in = Shape.of(BATCH, 1, 28, 28);
        } else {
            conv = new Conv2d(backend, init, 6, 16, 5);
            in = Shape.of(BATCH, 6, 14, 14);
        }
        input = RandomTensors.uniform(backend, in, 1);
        outputGrad = RandomTensors.uniform(backend, conv.outputShape(in), 2);
    }

    @Benchmark
    public Tensor forward() {
        return conv.forward(input, dev.cortado.nn.Mode.EVAL);
    }

    @Benchmark
    public Tensor forwardBackward() {
        conv.forward(input, dev.cortado.nn.Mode.TRAIN);
        return conv.backward(outputGrad, true);
    }

    @TearDown
    public void tearDown() {
        input.close();
        outputGrad.close();
        conv.close();
        backend.close();
    }
}
