package dev.cortado.opencl;

import dev.cortado.backend.Backend;
import dev.cortado.device.Device;
import dev.cortado.device.Devices;
import dev.cortado.kernel.GemmChoice;
import dev.cortado.kernel.ProgramCache;
import dev.cortado.testing.GemmThroughput;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * GFLOP/s of square SGEMM on opencl:0 with the tiled kernel and with CLBlast, and on the CPU fallback, in the same
 * run, so the default {@link GemmChoice} can be checked on a device and compared with the CPU. A benchmark, not a
 * test: surefire does not run it. Run with
 * <pre>
 * mvn -B -q -pl backends/opencl -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
 *     -Dmdep.includeScope=test
 * java --add-modules jdk.incubator.vector -cp "$(cat backends/opencl/target/bench.classpath):backends/opencl/target/classes:backends/opencl/target/test-classes" \
 *     dev.cortado.opencl.GemmBenchmark 256 512 1024 2048
 * </pre>
 * (the first command builds the reactor and writes the test class path). Each size is timed with
 * {@link GemmThroughput#measure} for at least {@link #MIN_SECONDS}, alternating the engines.
 */
public final class GemmBenchmark {
    private static final double MIN_SECONDS = 2.0;
    /** Each engine is measured this many times per size, alternating, and its best is kept: the CPU may be shared. */
    private static final int ROUNDS = 2;

    private GemmBenchmark() {
    }

    public static void main(String[] args) {
        List<Integer> sizes = args.length == 0 ? List.of(256, 512, 1024, 2048)
                : Arrays.stream(args).map(Integer::parseInt).toList();
        ProbedDevice device = OpenClProbe.probe(ClInventory.jocl(), GemmChoice.TILED).get(0);
        if (!device.info().isAvailable()) {
            System.out.println("opencl:0 is unavailable: " + device.info().reason());
            return;
        }
        System.out.println("device: " + device.info().name() + " (" + device.info().details() + ")");
        ProgramCache cache = new ProgramCache(ProgramCache.defaultDirectory("opencl"));
        try (OpenClBackend tiled = new OpenClBackend(device.device(), device.info(), GemmChoice.TILED, cache);
             OpenClBackend clblast = new OpenClBackend(device.device(), device.info(), GemmChoice.LIBRARY, cache);
             Backend cpu = Devices.system().open(Device.CPU)) {
            System.out.println("tiled: " + tiled.info().details().get("gemm"));
            System.out.println("clblast: " + clblast.info().details().get("gemm"));
            System.out.println("cpu: " + cpu.info().details().get("gemm"));
            System.out.println("     n   tiled GFLOP/s   CLBlast GFLOP/s   cpu GFLOP/s   (best of " + ROUNDS
                    + " alternating rounds)");
            for (int n : sizes) {
                double bestTiled = 0;
                double bestClBlast = 0;
                double bestCpu = 0;
                for (int round = 0; round < ROUNDS; round++) {
                    bestTiled = Math.max(bestTiled, GemmThroughput.measure(tiled, n, MIN_SECONDS));
                    bestClBlast = Math.max(bestClBlast, GemmThroughput.measure(clblast, n, MIN_SECONDS));
                    bestCpu = Math.max(bestCpu, GemmThroughput.measure(cpu, n, MIN_SECONDS));
                }
                System.out.printf(Locale.ROOT, "%6d   %13.1f   %15.1f   %11.1f%n", n, bestTiled, bestClBlast, bestCpu);
            }
        }
    }
}
