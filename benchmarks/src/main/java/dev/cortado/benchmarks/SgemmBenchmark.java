package dev.cortado.benchmarks;

import dev.cortado.backend.GemmSpec;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Square single-precision GEMM {@code C = A * B} on the CPU fallback, time per product. GFLOP/s is
 * {@code 2 n^3 / (time per op in ns)}; {@link GemmFlops} prints it from JMH's JSON results.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SgemmBenchmark {

    @Param({"256", "512", "1024"})
    public int n;

    private GemmOperands operands;

    /** The product this benchmark times for size n. */
    public static GemmSpec square(int n) {
        return GemmSpec.of(false, false, n, n, n);
    }

    @Setup
    public void setUp() {
        operands = new GemmOperands(square(n));
    }

    @Benchmark
    public float[] sgemm() {
        return operands.multiply();
    }
}
