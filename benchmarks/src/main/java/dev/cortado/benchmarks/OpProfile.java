package dev.cortado.benchmarks;

import dev.cortado.backend.Backend;
import dev.cortado.backend.ConvGeometry;
import dev.cortado.backend.GemmSpec;
import dev.cortado.backend.PoolSpec;
import dev.cortado.cpu.CpuBackend;
import dev.cortado.cpu.Parallel;
import dev.cortado.data.Dataset;
import dev.cortado.data.DatasetException;
import dev.cortado.data.MnistDataset;
import dev.cortado.data.Split;
import dev.cortado.model.ModelSpec;
import dev.cortado.nn.Sequential;
import dev.cortado.nn.loss.SoftmaxCrossEntropyLoss;
import dev.cortado.optim.Optimizer;
import dev.cortado.tensor.Tensor;
import dev.cortado.train.Throughput;
import dev.cortado.train.Trainer;
import dev.cortado.train.TrainingConfig;
import dev.cortado.train.TrainingListener;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a training step's time goes on the CPU backend, per layer and per op. The model first trains on a plain
 * {@link CpuBackend} ({@link Throughput#measure}, synthetic data), which gives the true step time; then it trains
 * again, on the first batches of Fashion-MNIST, on a
 * {@link CpuBackend} behind a proxy that times every backend call (ops are synchronous on the CPU, so a call's
 * wall time is the op's time) and names it by the layer that called it. Prints one table per model: the ops of
 * the timed epochs by total time per step, and what the ops leave of the true step time (the layers' own Java,
 * waiting for the batch loader, and so on).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     dev.cortado.benchmarks.OpProfile [lenet5,mlp] [batches per epoch] [batch size]
 * </pre>
 */
public final class OpProfile {
    /** Backend calls that compute nothing, left out of the table. */
    private static final Set<String> UNTIMED = Set.of("info", "pool", "transfers", "close");
    private static final int WARMUPS = 3;
    private static final int EPOCHS = 5;
    private static final long SEED = 42;
    /** Where Debian's dataset-fashion-mnist package puts the data; -Dcortado.data=DIR names another place. */
    private static final Path DATA = Path.of(System.getProperty("cortado.data", "/usr/share/datasets/fashion-mnist"));

    private OpProfile() {
    }

    public static void main(String[] args) throws DatasetException {
        String[] models = (args.length > 0 ? args[0] : "lenet5,mlp").split(",");
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        for (String name : models) {
            ModelSpec spec = ModelSpec.builtIn(name.trim());
            double imagesPerSecond;
            try (CpuBackend cpu = new CpuBackend()) {
                imagesPerSecond = Throughput.measure(cpu, spec,
                        new Throughput.Settings(batchSize, batches, WARMUPS, EPOCHS, SEED)).trainingMedian();
            }
            print(spec, batchSize, imagesPerSecond, timeOps(spec, batchSize, batches));
        }
    }

    /** Trains on a timed backend; returns the op totals of the epochs after the warm-ups, in ns per step. */
    private static List<OpTime> timeOps(ModelSpec spec, int batchSize, int batches)
            throws DatasetException {
        Dataset data = MnistDataset.load(DATA, Split.TRAIN).first(batchSize * batches);
        try (CpuBackend cpu = new CpuBackend()) {
            OpTimer timer = new OpTimer(cpu);
            Backend timed = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(),
                    new Class<?>[] {Backend.class}, timer);
            TrainingConfig config = TrainingConfig.defaults();
            try (Sequential model = spec.build(timed, SEED);
                 SoftmaxCrossEntropyLoss loss = new SoftmaxCrossEntropyLoss();
                 Optimizer sgd = config.newOptimizer(model.parameters());
                 Trainer trainer = new Trainer(timed, model, loss, sgd, config.newSchedule(batches), batchSize,
                         SEED)) {
                for (int epoch = 0; epoch < WARMUPS + EPOCHS; epoch++) {
                    timer.enabled = epoch >= WARMUPS;
                    trainer.trainEpoch(data, epoch, 0, null, new TrainingListener() { }, () -> false);
                }
            }
            return timer.perStep((double) EPOCHS * batches);
        }
    }

    private static void print(ModelSpec spec, int batchSize, double imagesPerSecond, List<OpTime> ops) {
        double stepMicros = 1e6 * batchSize / imagesPerSecond;
        System.out.printf("%s, batch %d: %.0f training images/s, %.1f us per step (%d threads, load %.1f)%n",
                spec.name(), batchSize, imagesPerSecond, stepMicros, Parallel.threads(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("%-34s %-36s %9s %7s %9s%n", "caller", "op", "us/step", "share", "cpu us");
        double explained = 0;
        for (OpTime op : ops) {
            explained += op.wallMicros();
            System.out.printf("%-34s %-36s %9.1f %6.1f%% %9.1f%n", op.caller(), op.op(), op.wallMicros(),
                    100 * op.wallMicros() / stepMicros, op.cpuMicros());
        }
        System.out.printf("%-34s %-36s %9.1f %6.1f%%%n%n", "(rest of the step)", "", stepMicros - explained,
                100 * (stepMicros - explained) / stepMicros);
    }

    /**
     * One op's time per training step: wall time, and the CPU time of the calling thread (the op's share of the
     * work that the caller did itself; the workers' share is not in it). Where other jobs share the machine, the
     * CPU time moves less than the wall time. Running the JVM with {@code -XX:ActiveProcessorCount=1} puts all of
     * an op's work on the caller, but there JDK 17's C2 at times fails to compile the GEMM kernel's Vector API
     * stores as intrinsics (JFR shows {@code FloatVector.intoArray} and {@code HeapByteBuffer.duplicate}), and
     * its figures then mean nothing.
     */
    private record OpTime(String caller, String op, double wallMicros, double cpuMicros) {
    }

    /** Times backend calls while enabled, keyed by caller and op. */
    private static final class OpTimer implements InvocationHandler {
        private final Backend target;
        private final Map<String, long[]> totals = new HashMap<>();
        private final StackWalker walker = StackWalker.getInstance();
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean enabled;

        OpTimer(Backend target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args); // tensors it makes keep the proxy
            }
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
            long elapsed = System.nanoTime() - start;
            if (enabled && !UNTIMED.contains(method.getName())) {
                String caller = walker.walk(s -> s.map(f -> f.getClassName() + "." + f.getMethodName())
                        .filter(f -> f.startsWith("dev.cortado.") && !f.startsWith("dev.cortado.benchmarks."))
                        .findFirst().orElse("?"));
                long[] total = totals.computeIfAbsent(shortName(caller) + "\t" + method.getName() + describe(args),
                        k -> new long[2]);
                total[0] += elapsed;
                total[1] += cpu;
            }
            return result;
        }

        /** The totals divided by the step count, longest wall time first. */
        List<OpTime> perStep(double steps) {
            List<OpTime> ops = new ArrayList<>();
            totals.forEach((key, total) -> {
                String[] parts = key.split("\t");
                ops.add(new OpTime(parts[0], parts[1], total[0] / steps / 1e3, total[1] / steps / 1e3));
            });
            ops.sort((x, y) -> Double.compare(y.wallMicros(), x.wallMicros()));
            return ops;
        }

        private static String shortName(String frame) {
            String[] parts = frame.split("\\.");
            return parts[parts.length - 2] + "." + parts[parts.length - 1];
        }

        private static String describe(Object[] args) {
            if (args == null || args.length == 0) {
                return "";
            }
            Object first = args[0];
            if (first instanceof GemmSpec g) {
                return " " + g.m() + "x" + g.n() + "x" + g.k() + (g.transA() ? " At" : "") + (g.transB() ? " Bt" : "");
            }
            if (first instanceof ConvGeometry g) {
                return " c" + g.channels() + " " + g.height() + "x" + g.width();
            }
            if (first instanceof PoolSpec p) {
                return " c" + p.channels() + " " + p.height() + "x" + p.width();
            }
            for (Object arg : args) {
                if (arg instanceof Tensor t) {
                    return " " + t.shape();
                }
            }
            return "";
        }
    }
}
