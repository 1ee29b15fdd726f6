package dev.cortado.benchmarks;

import dev.cortado.cpu.gemm.Sgemm;
import java.util.Arrays;

/**
 * Square SGEMM GFLOP/s for the side-by-side script, measured the way its PyTorch peer measures {@code torch.mm}:
 * products for about a second to warm up, then rounds of about half a second each, and the median round. Prints
 * one JSON line per size. (JMH's {@link SgemmBenchmark} is the careful measurement; this one takes seconds.)
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     dev.cortado.benchmarks.SgemmRate [n ...]     (default 256 512 1024)
 * </pre>
 */
public final class SgemmRate {
    private static final int ROUNDS = 5;
    private static final long ROUND_NANOS = 500_000_000L;

    private SgemmRate() {
    }

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {256, 512, 1024}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (int n : sizes) {
            GemmOperands operands = new GemmOperands(SgemmBenchmark.square(n));
            double flops = 2.0 * n * n * n;
            round(operands, 2 * ROUND_NANOS);
            double[] rates = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                rates[r] = flops / round(operands, ROUND_NANOS);
            }
            Arrays.sort(rates);
            System.out.printf("{\"n\": %d, \"gflops\": %.1f, \"kernel\": \"%s\"}%n", n, rates[ROUNDS / 2],
                    Sgemm.describe());
        }
    }

    /** Runs products for about {@code nanos}; returns the mean time of one, in ns. */
    private static double round(GemmOperands operands, long nanos) {
        long start = System.nanoTime();
        long count = 0;
        long elapsed;
        do {
            operands.multiply();
            count++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < nanos);
        return (double) elapsed / count;
    }
}
