package dev.cortado.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cortado.backend.GemmSpec;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns JMH's JSON results of the GEMM benchmarks into GFLOP/s: {@code GemmSpec.flops() / (time per op in ns)},
 * where a product has {@code 2 m n k} flops, for the mean time and for the fastest measurement iteration (the
 * better figure where other jobs share the machine). Usage, after
 * {@code java -jar benchmarks.jar '(Sgemm|ModelGemm)Benchmark' -rf json -rff gemm.json}:
 * {@code java -cp benchmarks.jar dev.cortado.benchmarks.GemmFlops gemm.json}.
 */
public final class GemmFlops {
    private GemmFlops() {
    }

    /** Billions of floating-point operations per second of a product that took {@code nanosPerOp}. */
    public static double gflops(GemmSpec spec, double nanosPerOp) {
        return spec.flops() / nanosPerOp;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: GemmFlops <JMH results JSON>");
            System.exit(2);
        }
        for (JsonNode result : new ObjectMapper().readTree(Path.of(args[0]).toFile())) {
            JsonNode params = result.path("params");
            GemmSpec spec;
            String label;
            if (params.has("n")) {
                spec = SgemmBenchmark.square(params.get("n").asInt());
                label = "n=" + params.get("n").asText();
            } else if (params.has("shape")) {
                spec = ModelGemm.valueOf(params.get("shape").asText()).spec();
                label = params.get("shape").asText();
            } else {
                continue;
            }
            JsonNode metric = result.path("primaryMetric");
            double unit = nanosPerUnit(metric.get("scoreUnit").asText());
            double mean = metric.get("score").asDouble() * unit;
            double best = Double.MAX_VALUE;
            for (JsonNode fork : metric.path("rawData")) {
                for (JsonNode iteration : fork) {
                    best = Math.min(best, iteration.asDouble() * unit);
                }
            }
            System.out.printf("%-28s %5d x %5d x %5d  mean %9.1f us %6.1f GFLOP/s  best %9.1f us %6.1f GFLOP/s%n",
                    label, spec.m(), spec.n(), spec.k(), mean / 1e3, gflops(spec, mean), best / 1e3,
                    gflops(spec, best));
        }
    }

    private static double nanosPerUnit(String unit) {
        return switch (unit) {
            case "ns/op" -> 1;
            case "us/op" -> 1e3;
            case "ms/op" -> 1e6;
            case "s/op" -> 1e9;
            default -> throw new IllegalArgumentException("GemmFlops reads times per op (AverageTime mode), not "
                    + unit);
        };
    }
}
